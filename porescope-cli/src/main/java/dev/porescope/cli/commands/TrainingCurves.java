package dev.porescope.cli.commands;

import dev.porescope.core.io.AtomicFiles;
import dev.porescope.torch.train.TrainLog;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The training curves as a PNG: loss on the left axis, validation Dice and pore F1 on the right. */
final class TrainingCurves {
    private TrainingCurves() { }

    static void write(List<TrainLog.Row> rows, String title, Path png) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("step").build();
        chart.setYAxisGroupTitle(0, "training loss");
        chart.setYAxisGroupTitle(1, "validation");
        chart.getStyler().setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
        double[] steps = rows.stream().mapToDouble(TrainLog.Row::step).toArray();
        double[] loss = rows.stream().mapToDouble(TrainLog.Row::loss).toArray();
        if (steps.length == 0) return;
        chart.addSeries("loss", steps, loss).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        List<TrainLog.Row> validated = rows.stream().filter(r -> !Double.isNaN(r.valDice())).toList();
        if (!validated.isEmpty()) {
            double[] vs = validated.stream().mapToDouble(TrainLog.Row::step).toArray();
            XYSeries dice = chart.addSeries("validation pixel Dice", vs, validated.stream().mapToDouble(TrainLog.Row::valDice).toArray());
            dice.setYAxisGroup(1);
            XYSeries f1 = chart.addSeries("validation pore F1", vs, validated.stream().mapToDouble(TrainLog.Row::valPoreF1).toArray());
            f1.setYAxisGroup(1);
        }
        AtomicFiles.write(png, tmp -> Files.write(tmp, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG)));
    }
}
