package dev.porescope.core.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Synthetic versus real pore statistics, side by side, with the range real skin photos fall in.
 * For several photos a column gives the median over photos and, for synthetic photos, their range.
 *
 * @param synthetic statistics of synthetic photos (whole photo)
 * @param real      statistics of real labelled photos (inside their ROI); may be empty
 */
public record CalibrationReport(List<SkinStatistics> synthetic, List<SkinStatistics> real) {

    /** One line of the table. {@code low}/{@code high} is the target range (NaN = none). */
    public record Row(String metric, double synthetic, double syntheticMin, double syntheticMax,
                      double real, double low, double high) {
        public boolean syntheticInRange() {
            return Double.isNaN(low) || (synthetic >= low && synthetic <= high);
        }
    }

    public CalibrationReport {
        synthetic = List.copyOf(synthetic);
        real = List.copyOf(real);
    }

    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(row("pores per 100x100 px", SkinStatistics::poresPer100x100, 1, 20, 50));
        rows.add(row("median equivalent diameter (px)", SkinStatistics::medianEquivalentDiameter, 1, 3.5, 7));
        rows.add(row("median relative contrast (%)", SkinStatistics::medianRelativeContrast, 100, 1.5, 6));
        rows.add(row("median pore area (px)", SkinStatistics::medianArea, 1, Double.NaN, Double.NaN));
        rows.add(row("pore pixels (%)", SkinStatistics::poreFraction, 100, Double.NaN, Double.NaN));
        return rows;
    }

    /** True when every synthetic figure with a target range lies inside it. */
    public boolean syntheticInRange() {
        return rows().stream().allMatch(Row::syntheticInRange);
    }

    /** The table as text, one row per metric: metric | synthetic | real | target range. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        String synthHead = synthetic.size() == 1 ? "synthetic" : "synthetic (" + synthetic.size() + " photos: median [min-max])";
        String realHead = real.size() <= 1 ? "real" : "real (" + real.size() + " photos: median)";
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"metric", synthHead, realHead, "target range", ""});
        for (Row r : rows()) {
            String s = synthetic.isEmpty() ? "-" : synthetic.size() == 1 ? fmt(r.synthetic())
                    : fmt(r.synthetic()) + " [" + fmt(r.syntheticMin()) + "-" + fmt(r.syntheticMax()) + "]";
            String rl = real.isEmpty() ? "-" : fmt(r.real());
            String range = Double.isNaN(r.low()) ? "-" : fmt(r.low()) + " - " + fmt(r.high());
            String ok = Double.isNaN(r.low()) || synthetic.isEmpty() ? "" : r.syntheticInRange() ? "ok" : "OUT OF RANGE";
            cells.add(new String[] {r.metric(), s, rl, range, ok});
        }
        int[] widths = new int[5];
        for (String[] c : cells) {
            for (int i = 0; i < c.length; i++) widths[i] = Math.max(widths[i], c[i].length());
        }
        for (String[] c : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < c.length; i++) {
                if (i == 4 && c[i].isEmpty()) break;
                if (i > 0) line.append(" | ");
                line.append(i == 0 ? pad(c[i], widths[i]) : padLeft(c[i], widths[i]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() { return table(); }

    private Row row(String metric, ToDoubleFunction<SkinStatistics> f, double scale, double low, double high) {
        double[] s = synthetic.stream().mapToDouble(f).map(v -> v * scale).toArray();
        double[] r = real.stream().mapToDouble(f).map(v -> v * scale).toArray();
        double min = Double.NaN;
        double max = Double.NaN;
        for (double v : s) {
            min = Double.isNaN(min) ? v : Math.min(min, v);
            max = Double.isNaN(max) ? v : Math.max(max, v);
        }
        return new Row(metric, SkinStatistics.median(s, s.length), min, max, SkinStatistics.median(r, r.length), low, high);
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) return "-";
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.2f", v);
    }

    private static String pad(String s, int n) { return s + " ".repeat(n - s.length()); }

    private static String padLeft(String s, int n) { return " ".repeat(n - s.length()) + s; }
}
