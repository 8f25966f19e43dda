package dev.porescope.core.preprocess;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.porescope.core.image.Plane;

/**
 * How a luma photo is turned into model input. A value: it is written into every model card
 * (JSON) so that the server and the phone run exactly the same steps, in this order:
 * local brightness correction, blur, sharpening, per-image normalisation.
 *
 * @param flattenSigma  sigma (px) of the large-scale blur the luma is divided by to flatten uneven
 *                      light; 0 = off
 * @param blurSigma     Gaussian blur sigma (px); 0 = off
 * @param sharpenSigma  sigma (px) of the unsharp mask's blur
 * @param sharpenAmount unsharp-mask amount (out = in + amount * (in - blur)); 0 = off
 * @param normalize     per-image normalisation: {@code "standardize"} (zero mean, unit standard
 *                      deviation over the whole image) or {@code "none"}
 */
public record Preprocessing(@JsonProperty("flattenSigma") double flattenSigma,
                            @JsonProperty("blurSigma") double blurSigma,
                            @JsonProperty("sharpenSigma") double sharpenSigma,
                            @JsonProperty("sharpenAmount") double sharpenAmount,
                            @JsonProperty("normalize") String normalize) {

    public static final String STANDARDIZE = "standardize";
    public static final String NONE = "none";

    /** Explicit creator and names so that Jackson reads it on Android too, where records are desugared. */
    @JsonCreator
    public Preprocessing {
        if (!(flattenSigma >= 0) || !(blurSigma >= 0) || !(sharpenSigma >= 0) || !(sharpenAmount >= 0)) {
            throw new IllegalArgumentException("preprocessing sigmas and sharpen amount must be >= 0, got flatten "
                    + flattenSigma + ", blur " + blurSigma + ", sharpen " + sharpenSigma + " x " + sharpenAmount);
        }
        if (sharpenAmount > 0 && !(sharpenSigma > 0)) {
            throw new IllegalArgumentException("sharpening (amount " + sharpenAmount + ") needs a sharpenSigma > 0");
        }
        if (!STANDARDIZE.equals(normalize) && !NONE.equals(normalize)) {
            throw new IllegalArgumentException("unknown normalize '" + normalize + "'; use '" + STANDARDIZE
                    + "' or '" + NONE + "'");
        }
    }

    /** No step at all: the model sees the raw luma. */
    public static Preprocessing identity() {
        return new Preprocessing(0, 0, 1, 0, NONE);
    }

    /** The default: per-image standardisation only. */
    public static Preprocessing standard() {
        return new Preprocessing(0, 0, 1, 0, STANDARDIZE);
    }

    /** Runs all enabled steps over a whole image (never per tile: normalisation is per image). */
    public Plane apply(Plane luma) {
        Plane out = luma;
        if (flattenSigma > 0) {
            out = flatten(out, flattenSigma);
        }
        if (blurSigma > 0) {
            out = Gaussian.blur(out, blurSigma);
        }
        if (sharpenAmount > 0) {
            out = sharpen(out, sharpenSigma, (float) sharpenAmount);
        }
        if (STANDARDIZE.equals(normalize)) {
            out = standardize(out);
        }
        return out == luma ? luma.copy() : out;
    }

    /**
     * {@code luma / blur(luma, sigma) * mean(luma)}: divides out slowly varying light and keeps the
     * image's overall brightness, so that a pore is judged against its own neighbourhood.
     */
    static Plane flatten(Plane luma, double sigma) {
        Plane light = Gaussian.blurFast(luma, sigma);
        float[] in = luma.values();
        float[] l = light.values();
        float mean = (float) mean(in);
        // floor the divisor: a black region must not blow up to infinity
        float floor = Math.max(1e-3f, 0.01f * Math.abs(mean));
        float[] o = l; // reuse the light plane's storage
        for (int i = 0; i < in.length; i++) {
            o[i] = in[i] / Math.max(l[i], floor) * mean;
        }
        return light;
    }

    /** Unsharp mask: {@code in + amount * (in - blur(in, sigma))}. */
    static Plane sharpen(Plane in, double sigma, float amount) {
        Plane blurred = Gaussian.blur(in, sigma);
        float[] v = in.values();
        float[] b = blurred.values();
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i] + amount * (v[i] - b[i]);
        }
        return blurred;
    }

    /** Zero mean and unit (population) standard deviation over the whole image; a flat image becomes 0. */
    static Plane standardize(Plane in) {
        float[] v = in.values();
        double mean = mean(v);
        double ss = 0;
        for (float x : v) {
            double d = x - mean;
            ss += d * d;
        }
        double std = Math.sqrt(ss / v.length);
        float scale = std > 1e-8 ? (float) (1 / std) : 0f;
        float m = (float) mean;
        Plane out = new Plane(in.width(), in.height());
        float[] o = out.values();
        for (int i = 0; i < v.length; i++) {
            o[i] = (v[i] - m) * scale;
        }
        return out;
    }

    private static double mean(float[] v) {
        double sum = 0;
        for (float x : v) sum += x;
        return sum / v.length;
    }
}
