package dev.porescope.core.preprocess;

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
public record Preprocessing(double flattenSigma, double blurSigma, double sharpenSigma,
                            double sharpenAmount, String normalize) {

    public static final String STANDARDIZE = "standardize";
    public static final String NONE = "none";

    /** The default: per-image standardisation only. */
    public static Preprocessing standard() {
        return new Preprocessing(0, 0, 1, 0, STANDARDIZE);
    }

    /** Runs all enabled steps over a whole image (never per tile: normalisation is per image). */
    public Plane apply(Plane luma) {
        throw new UnsupportedOperationException("TODO: implemented by the core preprocessing work");
    }
}
