package dev.porescope.core.parity;

import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.metrics.Agreement;
import dev.porescope.core.metrics.PixelMetrics;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.pipeline.PoreAnalyzer;
import dev.porescope.core.pipeline.PoreAnalyzer.Analysis;
import dev.porescope.core.preprocess.Preprocessing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Does the device model find the pores the server model finds? The paper's Table 3: per photo,
 * the Dice coefficient between the server's and the device's pore masks, summarised as count,
 * mean, std, variance, min and max. Both models go through the same {@link PoreAnalyzer} path
 * (their cards' preprocessing, tiling, threshold and pore extraction), so a difference is the
 * runtime's, not the pipeline's. Pure Java: the Android app can run the same comparison.
 *
 * @param perImage  one row per photo, in the order compared
 * @param agreement Dice(server pores, device pores) over the photos
 */
public record ParityReport(List<ImageParity> perImage, Agreement agreement) {

    /**
     * One photo.
     *
     * @param name                     photo name
     * @param width                    photo width
     * @param height                   photo height
     * @param agreement                Dice between the server's and the device's pore masks inside the ROI
     *                                 (1 when both are empty)
     * @param serverPores              pores the server model found
     * @param devicePores              pores the device model found
     * @param maxProbabilityDifference largest |server - device| pore probability over the photo
     * @param serverDice               server pore mask vs the label inside the ROI; null without a label
     * @param deviceDice               device pore mask vs the label inside the ROI; null without a label
     */
    public record ImageParity(String name, int width, int height, double agreement, int serverPores, int devicePores,
                              double maxProbabilityDifference, Double serverDice, Double deviceDice) { }

    /** One photo's row and both analyses (for figures). */
    public record Comparison(ImageParity row, Analysis server, Analysis device) { }

    public ParityReport {
        perImage = List.copyOf(perImage);
    }

    /** The summary of {@code rows}; at least one row. */
    public static ParityReport of(List<ImageParity> rows) {
        if (rows.isEmpty()) throw new IllegalArgumentException("a parity report needs at least one photo");
        return new ParityReport(rows, Agreement.of(rows.stream().mapToDouble(ImageParity::agreement).toArray()));
    }

    /**
     * Runs both analyzers on one photo and compares their pore masks.
     *
     * @param label pore label, or null
     * @param roi   region compared (and scored against the label); null = the whole photo
     */
    public static Comparison compare(String name, PoreAnalyzer server, PoreAnalyzer device, Plane luma, Mask label, Mask roi) {
        Mask region = roi == null ? Mask.full(luma.width(), luma.height()) : roi;
        Analysis s = server.analyze(luma, region);
        Analysis d = device.analyze(luma, region);
        double agreement = dice(s.poreMask(), d.poreMask(), region);
        double maxDiff = maxAbsDifference(s.probability(), d.probability());
        Double serverDice = label == null ? null : PixelMetrics.of(s.poreMask(), label, region).dice();
        Double deviceDice = label == null ? null : PixelMetrics.of(d.poreMask(), label, region).dice();
        ImageParity row = new ImageParity(name, luma.width(), luma.height(), agreement, s.pores().size(),
                d.pores().size(), maxDiff, serverDice, deviceDice);
        return new Comparison(row, s, d);
    }

    /** Dice of two masks inside {@code roi}; two empty masks agree fully (1). */
    public static double dice(Mask a, Mask b, Mask roi) {
        boolean[] x = a.bits(), y = b.bits(), r = roi.bits();
        long both = 0, sum = 0;
        for (int i = 0; i < x.length; i++) {
            if (!r[i]) continue;
            if (x[i]) sum++;
            if (y[i]) sum++;
            if (x[i] && y[i]) both++;
        }
        return sum == 0 ? 1.0 : 2.0 * both / sum;
    }

    static double maxAbsDifference(Plane a, Plane b) {
        if (a.values().length != b.values().length) throw new IllegalArgumentException("probability maps differ in size");
        return Golden.maxAbsDifference(a.values(), b.values()); // NaN counts as the largest difference
    }

    /**
     * What differs between the two cards in the steps around the network (preprocessing, threshold,
     * minimum pore area); empty when the device card carries the server's settings, as an export does.
     */
    public static List<String> settingDifferences(ModelCard server, ModelCard device) {
        List<String> out = new ArrayList<>();
        Preprocessing sp = server.preprocessing(), dp = device.preprocessing();
        if (!Objects.equals(sp, dp)) out.add("preprocessing " + sp + " vs " + dp);
        if (Double.compare(server.threshold(), device.threshold()) != 0) {
            out.add(String.format(Locale.ROOT, "threshold %.4f vs %.4f", server.threshold(), device.threshold()));
        }
        if (server.minArea() != device.minArea()) out.add("minimum pore area " + server.minArea() + " vs " + device.minArea() + " px");
        return out;
    }

    /** The photo with the lowest agreement (the first of equals). */
    public ImageParity worst() {
        ImageParity worst = perImage.get(0);
        for (ImageParity p : perImage) if (p.agreement() < worst.agreement()) worst = p;
        return worst;
    }

    /** Each model's Dice against the labels, over the labelled photos; null when none is labelled. */
    public Agreement serverLabelDice() {
        return labelAgreement(true);
    }

    public Agreement deviceLabelDice() {
        return labelAgreement(false);
    }

    private Agreement labelAgreement(boolean server) {
        double[] values = perImage.stream().map(p -> server ? p.serverDice() : p.deviceDice())
                .filter(Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
        return values.length == 0 ? null : Agreement.of(values);
    }

    /**
     * The JSON form: top-level {@code count, mean, std, variance, min, max} (Table 3) and a
     * {@code per_image} list; label Dice summaries where labels exist.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", agreement.count());
        m.put("mean", agreement.mean());
        m.put("std", agreement.std());
        m.put("variance", agreement.variance());
        m.put("min", agreement.min());
        m.put("max", agreement.max());
        if (serverLabelDice() != null) {
            m.put("server_label_dice", agreementJson(serverLabelDice()));
            m.put("device_label_dice", agreementJson(deviceLabelDice()));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ImageParity p : perImage) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", p.name());
            row.put("width", p.width());
            row.put("height", p.height());
            row.put("agreement", p.agreement());
            row.put("server_pores", p.serverPores());
            row.put("device_pores", p.devicePores());
            row.put("max_probability_difference", p.maxProbabilityDifference());
            row.put("server_dice", p.serverDice());
            row.put("device_dice", p.deviceDice());
            rows.add(row);
        }
        m.put("per_image", rows);
        return m;
    }

    private static Map<String, Object> agreementJson(Agreement a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", a.count());
        m.put("mean", a.mean());
        m.put("std", a.std());
        m.put("variance", a.variance());
        m.put("min", a.min());
        m.put("max", a.max());
        return m;
    }

    /** Per-photo rows and the Table 3 summary as Markdown. */
    public String markdown() {
        StringBuilder s = new StringBuilder();
        boolean labels = serverLabelDice() != null;
        s.append("| photo | agreement (Dice server vs device) | server pores | device pores | max abs prob. diff |");
        s.append(labels ? " server Dice vs label | device Dice vs label |\n" : "\n");
        s.append("|---|---:|---:|---:|---:|").append(labels ? "---:|---:|\n" : "\n");
        for (ImageParity p : perImage) {
            s.append(String.format(Locale.ROOT, "| %s | %.4f | %d | %d | %.2g |", p.name(), p.agreement(),
                    p.serverPores(), p.devicePores(), p.maxProbabilityDifference()));
            if (labels) s.append(' ').append(fmt(p.serverDice())).append(" | ").append(fmt(p.deviceDice())).append(" |");
            s.append('\n');
        }
        s.append('\n');
        s.append("| | count | mean | std | variance | min | max |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|\n");
        s.append(row("agreement", agreement));
        if (labels) {
            s.append(row("server Dice vs label", serverLabelDice()));
            s.append(row("device Dice vs label", deviceLabelDice()));
        }
        return s.toString();
    }

    private static String row(String what, Agreement a) {
        return String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.6f | %.4f | %.4f |%n", what, a.count(), a.mean(),
                a.std(), a.variance(), a.min(), a.max());
    }

    private static String fmt(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.4f", d);
    }
}
