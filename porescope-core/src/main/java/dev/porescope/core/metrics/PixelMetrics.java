package dev.porescope.core.metrics;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.porescope.core.image.Mask;

/**
 * Pixel counts of a predicted pore mask against a label inside an ROI, pooled over any number of
 * images by {@link #add}. Scores of pooled counts weight every pixel equally (not every image).
 * Empty cases: Dice, IoU, precision and recall are 1 when their denominator is 0 (nothing to get
 * wrong), so two empty masks agree perfectly.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"tp", "fp", "fn", "tn", "dice", "iou", "precision", "recall"})
public final class PixelMetrics {
    private long tp;
    private long fp;
    private long fn;
    private long tn;

    public PixelMetrics() { }

    @JsonCreator
    public PixelMetrics(@JsonProperty("tp") long tp, @JsonProperty("fp") long fp,
                        @JsonProperty("fn") long fn, @JsonProperty("tn") long tn) {
        this.tp = tp;
        this.fp = fp;
        this.fn = fn;
        this.tn = tn;
    }

    /** Counts of one image; {@code roi} null = everywhere. */
    public static PixelMetrics of(Mask predicted, Mask truth, Mask roi) {
        return new PixelMetrics().add(predicted, truth, roi);
    }

    /** Adds the pixels of one image inside {@code roi} (null = everywhere); returns this. */
    public PixelMetrics add(Mask predicted, Mask truth, Mask roi) {
        checkSizes(predicted, truth, roi);
        boolean[] p = predicted.bits();
        boolean[] t = truth.bits();
        boolean[] r = roi == null ? null : roi.bits();
        long a = 0, b = 0, c = 0, d = 0;
        for (int i = 0; i < p.length; i++) {
            if (r != null && !r[i]) continue;
            if (p[i]) {
                if (t[i]) a++; else b++;
            } else {
                if (t[i]) c++; else d++;
            }
        }
        tp += a;
        fp += b;
        fn += c;
        tn += d;
        return this;
    }

    /** Pools another set of counts into this one; returns this. */
    public PixelMetrics add(PixelMetrics other) {
        tp += other.tp;
        fp += other.fp;
        fn += other.fn;
        tn += other.tn;
        return this;
    }

    static void checkSizes(Mask predicted, Mask truth, Mask roi) {
        if (predicted.width() != truth.width() || predicted.height() != truth.height()
                || (roi != null && (roi.width() != truth.width() || roi.height() != truth.height()))) {
            throw new IllegalArgumentException("prediction " + predicted.width() + "x" + predicted.height()
                    + ", label " + truth.width() + "x" + truth.height()
                    + (roi == null ? "" : " and ROI " + roi.width() + "x" + roi.height()) + " must have the same size");
        }
    }

    @JsonProperty("tp") public long tp() { return tp; }
    @JsonProperty("fp") public long fp() { return fp; }
    @JsonProperty("fn") public long fn() { return fn; }
    @JsonProperty("tn") public long tn() { return tn; }

    /** {@code 2 tp / (2 tp + fp + fn)}. */
    @JsonProperty("dice") public double dice() { return ratio(2 * tp, 2 * tp + fp + fn); }
    /** {@code tp / (tp + fp + fn)}. */
    @JsonProperty("iou") public double iou() { return ratio(tp, tp + fp + fn); }
    @JsonProperty("precision") public double precision() { return ratio(tp, tp + fp); }
    @JsonProperty("recall") public double recall() { return ratio(tp, tp + fn); }

    static double ratio(long num, long den) {
        return den == 0 ? 1 : (double) num / den;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "dice %.4f iou %.4f precision %.4f recall %.4f (tp %d fp %d fn %d)",
                dice(), iou(), precision(), recall(), tp, fp, fn);
    }
}
