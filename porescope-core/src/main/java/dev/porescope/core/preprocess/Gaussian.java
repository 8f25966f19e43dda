package dev.porescope.core.preprocess;

import dev.porescope.core.image.Mirror;
import dev.porescope.core.image.Plane;
import dev.porescope.core.image.Resize;

/** Separable Gaussian blur with mirrored borders, fast enough for 12-megapixel photos. */
public final class Gaussian {
    private Gaussian() { }

    /** Normalised 1-D kernel of radius ceil(3 sigma). */
    public static float[] kernel(double sigma) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("Gaussian sigma must be > 0, got " + sigma);
        }
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] k = new float[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            double v = Math.exp(-(i * (double) i) / (2 * sigma * sigma));
            k[i + radius] = (float) v;
            sum += v;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }

    /** A blurred copy of {@code src}; {@code sigma <= 0} returns an unchanged copy. */
    public static Plane blur(Plane src, double sigma) {
        if (sigma <= 0) {
            return src.copy();
        }
        float[] k = kernel(sigma);
        int w = src.width();
        int h = src.height();
        Plane tmp = new Plane(w, h);
        convolveRows(src.values(), tmp.values(), w, h, k);
        Plane out = new Plane(w, h);
        convolveColumns(tmp.values(), out.values(), w, h, k);
        return out;
    }

    static int mirror(int i, int n) {
        return Mirror.index(i, n);
    }

    /** Sigmas from which {@link #blurFast} works on a downsampled copy. */
    public static final double FAST_FROM_SIGMA = 8;

    /**
     * A Gaussian blur for large sigmas (flattening uneven light): for {@code sigma >=}
     * {@link #FAST_FROM_SIGMA} it averages {@code f x f} blocks ({@code f ~ sigma / 4}), blurs the small
     * copy and interpolates back bilinearly, with the sigmas chosen so that the total spread matches.
     * An approximation (within about 1e-3 of the exact blur on smooth images); below that
     * sigma it is the exact {@link #blur}. Not for model inputs that must tile exactly.
     */
    public static Plane blurFast(Plane src, double sigma) {
        return exactBelowFast(sigma) ? blur(src, sigma) : blurFast(src, sigma, new Plane(src.width(), src.height()));
    }

    /** Whether {@link #blurFast} runs the exact {@link #blur} for {@code sigma} (no block size of 2 px or more fits). */
    private static boolean exactBelowFast(double sigma) {
        return sigma < FAST_FROM_SIGMA || (int) Math.floor(sigma / 4) < 2;
    }

    /**
     * {@link #blurFast(Plane, double)} written into {@code into} (same size as {@code src}; it may be
     * {@code src} itself, which then ends up blurred in place): no whole-image plane is allocated
     * besides the downsampled copy, so that a 12 MP photo's preprocessing holds one plane less.
     */
    public static Plane blurFast(Plane src, double sigma, Plane into) {
        if (!into.sameSize(src.width(), src.height())) {
            throw new IllegalArgumentException("blur target is " + into.width() + "x" + into.height()
                    + ", the source " + src.width() + "x" + src.height());
        }
        if (exactBelowFast(sigma)) {
            Plane exact = blur(src, sigma);
            System.arraycopy(exact.values(), 0, into.values(), 0, exact.values().length);
            return into;
        }
        int f = (int) Math.floor(sigma / 4);
        // block means of the source mirror-padded by the kernel radius (so that borders reflect as in
        // the exact blur), read through mirrored indices instead of a padded copy
        int pad = ((int) Math.ceil(3 * sigma) + f - 1) / f * f;
        Plane small = Resize.area(src, pad, f);
        // a box of width f adds (f^2 - 1) / 12 of variance; bilinear interpolation adds little
        double rest = sigma * sigma - (f * (double) f - 1) / 12;
        Plane blurred = blur(small, Math.sqrt(Math.max(rest, 1e-6)) / f);
        return Resize.bilinear(blurred, into, x -> (x + pad + 0.5) / f - 0.5, y -> (y + pad + 0.5) / f - 0.5);
    }

    private static void convolveRows(float[] in, float[] out, int w, int h, float[] k) {
        int r = k.length / 2;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                float acc = 0;
                if (x >= r && x + r < w) {
                    int base = row + x - r;
                    for (int i = 0; i < k.length; i++) acc += k[i] * in[base + i];
                } else {
                    for (int i = 0; i < k.length; i++) acc += k[i] * in[row + mirror(x + i - r, w)];
                }
                out[row + x] = acc;
            }
        }
    }

    private static void convolveColumns(float[] in, float[] out, int w, int h, float[] k) {
        int r = k.length / 2;
        float[] acc = new float[w];
        for (int y = 0; y < h; y++) {
            java.util.Arrays.fill(acc, 0f);
            for (int i = 0; i < k.length; i++) {
                int row = mirror(y + i - r, h) * w;
                float ki = k[i];
                for (int x = 0; x < w; x++) acc[x] += ki * in[row + x];
            }
            System.arraycopy(acc, 0, out, y * w, w);
        }
    }
}
