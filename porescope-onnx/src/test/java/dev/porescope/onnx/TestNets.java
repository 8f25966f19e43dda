package dev.porescope.onnx;

import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.unet.UNetSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny specs, random weights and synthetic inputs for the tests. */
final class TestNets {
    private TestNets() { }

    static UNetSpec tiny() { return UNetSpec.family("t3", 4, 8, 16); }

    /** Two convs per level, 5x5 pooling, no BatchNorm (conv biases), three classes. */
    static UNetSpec odd() { return new UNetSpec("odd", 1, 3, List.of(3, 6, 5), 2, 3, 5, false, 0.2); }

    /** He-initialised weights; BatchNorm statistics far from the identity so that folding matters. */
    static Map<String, float[]> randomWeights(UNetSpec spec, long seed) {
        Random r = new Random(seed);
        Map<String, float[]> w = new LinkedHashMap<>();
        for (UNetSpec.Param p : spec.parameters()) {
            float[] v = new float[(int) p.numel()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) switch (p.role()) {
                    case CONV_WEIGHT, UP_WEIGHT -> r.nextGaussian() * Math.sqrt(2.0 / p.fanIn());
                    case CONV_BIAS, UP_BIAS, BN_BIAS -> 0.1 * r.nextGaussian();
                    case BN_WEIGHT -> 0.5 + r.nextDouble();
                    case BN_MEAN -> 0.3 * r.nextGaussian();
                    case BN_VAR -> 0.3 + 1.5 * r.nextDouble();
                };
            }
            w.put(p.name(), v);
        }
        return w;
    }

    static ModelCard card(UNetSpec spec) {
        return new ModelCard(ModelCard.FORMAT, spec.name(), spec, Preprocessing.standard(), 0.5, 3, "torchscript",
                "fp32", null, 7, 0, Map.of("dice", 0.8), Map.of("test", "1"), List.of(), Map.of());
    }

    static Plane noise(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return new Plane(w, h, v);
    }

    /** A smooth standardised "skin" image: low-frequency waves plus round dark blobs. */
    static Plane smooth(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] v = new float[w * h];
        double fx = 0.05 + 0.1 * r.nextDouble(), fy = 0.05 + 0.1 * r.nextDouble(), ph = r.nextDouble() * 6;
        int blobs = Math.max(1, w * h / 300);
        double[][] c = new double[blobs][3];
        for (double[] b : c) { b[0] = r.nextDouble() * w; b[1] = r.nextDouble() * h; b[2] = 1.5 + 2.5 * r.nextDouble(); }
        double mean = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0.5 * Math.sin(fx * x + ph) * Math.cos(fy * y);
                for (double[] b : c) {
                    double d2 = ((x - b[0]) * (x - b[0]) + (y - b[1]) * (y - b[1])) / (b[2] * b[2]);
                    s -= 1.5 * Math.exp(-d2);
                }
                v[y * w + x] = (float) s;
                mean += s;
            }
        }
        mean /= v.length;
        double var = 0;
        for (float f : v) var += (f - mean) * (f - mean);
        double sd = Math.sqrt(var / v.length);
        for (int i = 0; i < v.length; i++) v[i] = (float) ((v[i] - mean) / sd);
        return new Plane(w, h, v);
    }
}
