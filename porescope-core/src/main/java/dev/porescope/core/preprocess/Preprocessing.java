package dev.porescope.core.preprocess;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.porescope.core.image.Plane;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * How a luma photo is turned into model input. A value: it is written into every model card
 * (JSON) so that the server and the phone run exactly the same steps, in this order:
 * local brightness correction, blur, sharpening, normalisation.
 *
 * <p>Normalisation {@code "local"} makes a pixel's input depend only on its neighbourhood: the
 * same skin gives the network the same numbers whether it is cut from a whole face, a close-up or a
 * training patch (brows, lashes and hair far away no longer change a forehead pore's contrast, as
 * whole-photo standardisation does). Training crops its patches from the output of this very
 * class ({@code PatchSampler}), so the network sees in training what it sees in use.
 *
 * @param flattenSigma  sigma (px) of the large-scale blur the luma is divided by to flatten uneven
 *                      light; 0 = off
 * @param blurSigma     Gaussian blur sigma (px); 0 = off
 * @param sharpenSigma  sigma (px) of the unsharp mask's blur
 * @param sharpenAmount unsharp-mask amount (out = in + amount * (in - blur)); 0 = off
 * @param normalize     normalisation: {@code "standardize"} (zero mean, unit standard deviation over
 *                      the whole image), {@code "local"} (zero mean, unit deviation under a moving
 *                      Gaussian window of sigma {@code normalizeSigma}) or {@code "none"}
 * @param normalizeSigma sigma (px) of the moving window of {@code "local"}; 0 otherwise (and absent
 *                      from the JSON then, so cards written before it existed read and write as before)
 */
public record Preprocessing(@JsonProperty("flattenSigma") double flattenSigma,
                            @JsonProperty("blurSigma") double blurSigma,
                            @JsonProperty("sharpenSigma") double sharpenSigma,
                            @JsonProperty("sharpenAmount") double sharpenAmount,
                            @JsonProperty("normalize") String normalize,
                            @JsonProperty("normalizeSigma") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                            double normalizeSigma) {

    public static final String STANDARDIZE = "standardize";
    public static final String LOCAL = "local";
    public static final String NONE = "none";

    /**
     * Sigma of the local window the default model uses: a Gaussian of sigma 32 px weighs about
     * 4 pi sigma^2 = 13,000 px (some 45 pores at real skin's 35 per 100x100 px), enough for a steady
     * deviation, and reaches about 2 sigma = 64 px, a training patch's side, so a brow or an eye
     * further away does not change a pore's input.
     */
    public static final double DEFAULT_LOCAL_SIGMA = 32;

    /** Before local normalisation existed: whole-image or no normalisation. */
    public Preprocessing(double flattenSigma, double blurSigma, double sharpenSigma, double sharpenAmount, String normalize) {
        this(flattenSigma, blurSigma, sharpenSigma, sharpenAmount, normalize, 0);
    }

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
        if (!STANDARDIZE.equals(normalize) && !LOCAL.equals(normalize) && !NONE.equals(normalize)) {
            throw new IllegalArgumentException("unknown normalize '" + normalize + "'; use '" + STANDARDIZE
                    + "', '" + LOCAL + "' or '" + NONE + "'");
        }
        if (LOCAL.equals(normalize) ? !(normalizeSigma > 0) || Double.isInfinite(normalizeSigma) : normalizeSigma != 0) {
            throw new IllegalArgumentException("normalizeSigma must be > 0 with normalize '" + LOCAL
                    + "' and 0 otherwise, got " + normalizeSigma + " with '" + normalize + "'");
        }
    }

    /** Flattening of sigma {@code flattenSigma}, then local normalisation of sigma {@code sigma}. */
    public static Preprocessing local(double flattenSigma, double sigma) {
        return new Preprocessing(flattenSigma, 0, 1, 0, LOCAL, sigma);
    }

    /** True when the normalisation is local (a pixel's input depends on its neighbourhood only). */
    @JsonIgnore
    public boolean isLocal() {
        return LOCAL.equals(normalize);
    }

    /** No step at all: the model sees the raw luma. */
    public static Preprocessing identity() {
        return new Preprocessing(0, 0, 1, 0, NONE);
    }

    /** The default: per-image standardisation only. */
    public static Preprocessing standard() {
        return new Preprocessing(0, 0, 1, 0, STANDARDIZE);
    }

    /**
     * Runs all enabled steps over a whole image (never per tile: the blurs reach beyond a tile, and
     * {@code "standardize"} is per image).
     */
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
        } else if (LOCAL.equals(normalize)) {
            out = standardizeLocally(out, normalizeSigma);
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
        int w = luma.width();
        rows(luma.height(), y -> {
            for (int i = y * w, end = i + w; i < end; i++) o[i] = in[i] / Math.max(l[i], floor) * mean;
        });
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

    /**
     * {@code (in - m) / sqrt(v + (1e-3 m)^2)} with {@code m = blur(in)} the Gaussian-weighted moving
     * mean and {@code v = blur((in - m)^2)} the moving mean of the squared residual (not
     * {@code blur(in^2) - m^2}, which would cancel catastrophically). The small floor, relative to
     * the local brightness, keeps a flat or saturated region at 0 instead of amplifying rounding;
     * it scales with the image, so the output does not change when the whole photo is scaled.
     */
    static Plane standardizeLocally(Plane in, double sigma) {
        float[] v = in.values();
        float[] m = Gaussian.blurFast(in, sigma).values();
        Plane residual = new Plane(in.width(), in.height());
        float[] r = residual.values();
        int w = in.width();
        rows(in.height(), y -> {
            for (int i = y * w, end = i + w; i < end; i++) {
                float d = v[i] - m[i];
                r[i] = d * d;
            }
        });
        // blurred in place (one whole plane less at the peak of a 12 MP photo's preprocessing); the
        // result then overwrites the variance pixel by pixel
        float[] var = Gaussian.blurFast(residual, sigma, residual).values();
        rows(in.height(), y -> {
            for (int i = y * w, end = i + w; i < end; i++) {
                double floor = 1e-3 * m[i];
                r[i] = (float) ((v[i] - m[i]) / Math.sqrt(Math.max(0, var[i]) + floor * floor + 1e-20));
            }
        });
        return residual;
    }

    /** {@code row} for rows 0 to {@code height - 1}, on every core (each pixel is computed as on one thread). */
    private static void rows(int height, IntConsumer row) {
        IntStream.range(0, height).parallel().forEach(row);
    }

    private static double mean(float[] v) {
        double sum = 0;
        for (float x : v) sum += x;
        return sum / v.length;
    }
}
