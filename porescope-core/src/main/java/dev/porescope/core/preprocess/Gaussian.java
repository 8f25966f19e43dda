package dev.porescope.core.preprocess;

import dev.porescope.core.image.Plane;

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
        if (n == 1) return 0;
        int period = 2 * n - 2;
        i = Math.floorMod(i, period);
        return i < n ? i : period - i;
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
