package dev.porescope.torch.train;

import dev.porescope.core.image.Plane;
import dev.porescope.core.preprocess.Gaussian;

import java.util.SplittableRandom;

/**
 * Photometric changes that phone photos show, applied to luma in [0, 1] before the model card's
 * preprocessing (so the network learns what preprocessing leaves of them): gamma, contrast,
 * brightness, uneven light (a linear gradient), blur and sensor noise.
 *
 * <p>The pointwise part ({@link #pointwise}) also maps a sample of the whole photo, so that the
 * window can be standardised with the statistics the whole augmented photo would have (what
 * inference does) rather than its own.
 */
record Augmentation(double gamma, double contrast, double brightness, double centre, boolean gradient, double slope,
                    double angle, double blurSigma, double noiseSigma) {

    /** No change. */
    static final Augmentation NONE = new Augmentation(1, 1, 0, 0, false, 0, 0, 0, 0);

    /** Random changes; {@code photoMean} is the mean luma of the whole photo (contrast pivots on it). */
    static Augmentation draw(SplittableRandom r, double photoMean) {
        double gamma = Math.exp(uniform(r, -0.35, 0.35));
        double contrast = Math.exp(uniform(r, -0.3, 0.3));
        double brightness = uniform(r, -0.12, 0.12);
        boolean gradient = r.nextDouble() < 0.5;
        double slope = uniform(r, -0.5, 0.5);
        double angle = uniform(r, 0, 2 * Math.PI);
        double blur = r.nextDouble() < 0.3 ? uniform(r, 0.4, 1.3) : 0;
        double noise = r.nextDouble() < 0.5 ? uniform(r, 0.002, 0.03) : 0;
        return new Augmentation(gamma, contrast, brightness, Math.pow(Math.max(0, photoMean), gamma), gradient, slope,
                angle, blur, noise);
    }

    /** Gamma, contrast and brightness of one luma value. */
    float pointwise(float v) {
        double p = Math.pow(Math.max(0, v), gamma);
        p = (p - centre) * contrast + centre + brightness;
        return (float) Math.min(1, Math.max(0, p));
    }

    /** The whole change applied to a window (noise drawn from {@code r}). */
    Plane apply(Plane window, SplittableRandom r) {
        int w = window.width();
        int h = window.height();
        float[] v = window.values().clone();
        double gx = Math.cos(angle) * slope / Math.max(w, h);
        double gy = Math.sin(angle) * slope / Math.max(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double p = Math.pow(Math.max(0, v[i]), gamma);
                p = (p - centre) * contrast + centre + brightness;
                if (gradient) {
                    p *= 1 + gx * (x - w / 2.0) + gy * (y - h / 2.0);
                }
                v[i] = (float) p;
            }
        }
        Plane out = new Plane(w, h, v);
        if (blurSigma > 0) {
            out = Gaussian.blur(out, blurSigma);
        }
        float[] o = out.values();
        if (noiseSigma > 0) {
            for (int i = 0; i < o.length; i++) o[i] += (float) (r.nextGaussian() * noiseSigma);
        }
        for (int i = 0; i < o.length; i++) o[i] = Math.min(1f, Math.max(0f, o[i]));
        return out;
    }

    static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }
}
