package dev.porescope.cli.report;

import dev.porescope.core.overlay.SizeColors;

import dev.porescope.core.pores.PoreSummary;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The pore-size histogram of one photo as a bar chart (XChart), from the summary's area bins. */
public final class SizeHistogram {
    private SizeHistogram() { }

    public static BufferedImage draw(String title, PoreSummary summary) {
        CategoryChart chart = new CategoryChartBuilder().width(800).height(500)
                .title(title).xAxisTitle("pore area (" + summary.areaUnit() + ")").yAxisTitle("pores").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setLabelsVisible(true);
        List<String> bins = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        int n = summary.areaHistogram().size();
        for (int i = 0; i < n; i++) {
            PoreSummary.Bin bin = summary.areaHistogram().get(i);
            bins.add(bin.to() == null ? "\u2265 " + fmt(bin.from()) : fmt(bin.from()) + "\u2013" + fmt(bin.to()));
            counts.add(bin.count());
        }
        chart.addSeries("pores", bins, counts);
        chart.getStyler().setSeriesColors(new Color[] {new Color(SizeColors.at(0.1))});
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
