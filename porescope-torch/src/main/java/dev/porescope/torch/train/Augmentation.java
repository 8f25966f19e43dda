package dev.porescope.torch.train;

import dev.porescope.core.image.Plane;
import dev.porescope.core.preprocess.Gaussian;

import java.util.SplittableRandom;

/**
 * Photometric changes that phone photos show, applied to luma in [0, 1] before the model card's
 * preprocessing (so the network learns what preprocessing leaves of them): brightness,
 * contrast, gamma, uneven light (a linear gradient), blur and sensor noise.
 */
final class Augmentation {
    private Augmentation() { }

    /** A changed copy of {@code luma}. */
    static Plane photometric(Plane luma, SplittableRandom r) {
        int w = luma.width();
        int h = luma.height();
        float[] v = luma.values().clone();
        double gamma = Math.exp(uniform(r, -0.35, 0.35));
        double contrast = Math.exp(uniform(r, -0.3, 0.3));
        double brightness = uniform(r, -0.12, 0.12);
        boolean gradient = r.nextDouble() < 0.5;
        double slope = uniform(r, -0.5, 0.5);
        double angle = uniform(r, 0, 2 * Math.PI);
        double gx = Math.cos(angle) * slope / Math.max(w, h);
        double gy = Math.sin(angle) * slope / Math.max(w, h);
        double mean = 0;
        for (float f : v) mean += f;
        mean /= v.length;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double p = Math.pow(Math.max(0, v[i]), gamma);
                p = (p - mean) * contrast + mean + brightness;
                if (gradient) {
                    p *= 1 + gx * (x - w / 2.0) + gy * (y - h / 2.0);
                }
                v[i] = (float) p;
            }
        }
        Plane out = new Plane(w, h, v);
        if (r.nextDouble() < 0.3) {
            out = Gaussian.blur(out, uniform(r, 0.4, 1.3));
        }
        if (r.nextDouble() < 0.5) {
            double sigma = uniform(r, 0.002, 0.03);
            float[] o = out.values();
            for (int i = 0; i < o.length; i++) o[i] += (float) (r.nextGaussian() * sigma);
        }
        float[] o = out.values();
        for (int i = 0; i < o.length; i++) o[i] = Math.min(1f, Math.max(0f, o[i]));
        return out;
    }

    static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }
}
