package dev.porescope.core.synth;

import java.util.SplittableRandom;

/** Smooth random fields: value noise on a randomly offset lattice, normalised per octave. */
final class ValueNoise {
    private ValueNoise() { }

    /**
     * One octave of value noise with lattice spacing {@code cell} px, quintic interpolation,
     * zero mean and unit standard deviation over the image.
     */
    static float[] octave(int w, int h, double cell, SplittableRandom rng) {
        double ox = rng.nextDouble() * cell;
        double oy = rng.nextDouble() * cell;
        int gw = (int) Math.ceil((w + ox) / cell) + 2;
        int gh = (int) Math.ceil((h + oy) / cell) + 2;
        float[] lattice = new float[gw * gh];
        for (int i = 0; i < lattice.length; i++) lattice[i] = (float) (2 * rng.nextDouble() - 1);
        float[] out = new float[w * h];
        double[] tx = new double[w];
        int[] ix = new int[w];
        for (int x = 0; x < w; x++) {
            double fx = (x + 0.5 + ox) / cell;
            ix[x] = (int) fx;
            tx[x] = fade(fx - ix[x]);
        }
        double sum = 0;
        double sum2 = 0;
        for (int y = 0; y < h; y++) {
            double fy = (y + 0.5 + oy) / cell;
            int iy = (int) fy;
            double ty = fade(fy - iy);
            int r0 = iy * gw;
            int r1 = r0 + gw;
            for (int x = 0; x < w; x++) {
                int i = ix[x];
                double top = lattice[r0 + i] + tx[x] * (lattice[r0 + i + 1] - lattice[r0 + i]);
                double bottom = lattice[r1 + i] + tx[x] * (lattice[r1 + i + 1] - lattice[r1 + i]);
                double v = top + ty * (bottom - top);
                out[y * w + x] = (float) v;
                sum += v;
                sum2 += v * v;
            }
        }
        int n = out.length;
        double mean = sum / n;
        double std = Math.sqrt(Math.max(1e-12, sum2 / n - mean * mean));
        // a large cell on a small photo sees few lattice values: keep the expected scale instead
        std = Math.max(std, 0.35);
        for (int i = 0; i < n; i++) out[i] = (float) ((out[i] - mean) / std);
        return out;
    }

    private static double fade(double t) {
        return t * t * t * (t * (t * 6 - 15) + 10);
    }
}
