package dev.porescope.torch;

import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.nativ.Torch;
import dev.porescope.torch.train.InferenceProfile;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every way of serving the network, and the layer-by-layer profile, computes what the eval-mode
 * module computes (BatchNorm from its running statistics, not folded), within 1e-5.
 */
class ServingTest {
    static final UNetSpec SPEC = UNetSpec.family("test-tiny", 4, 8, 16);
    static final int H = 24;
    static final int W = 32;

    /** A module whose BatchNorm statistics and scales are far from identity, so folding them matters. */
    static UNetModule module() {
        UNetModule m = UNetModule.create(SPEC, 11);
        SplittableRandom r = new SplittableRandom(4);
        Map<String, float[]> w = new LinkedHashMap<>(m.weights());
        for (UNetSpec.Param p : SPEC.parameters()) {
            float[] v = w.get(p.name());
            for (int i = 0; i < v.length; i++) {
                switch (p.role()) {
                    case BN_MEAN, BN_BIAS, CONV_BIAS, UP_BIAS -> v[i] = (float) (0.3 * r.nextGaussian());
                    case BN_VAR, BN_WEIGHT -> v[i] = (float) (0.5 + r.nextDouble());
                    default -> { }
                }
            }
        }
        m.setWeights(w);
        m.train(false);
        return m;
    }

    @Test
    void everyServingVariantComputesTheEvalModuleProbabilities() {
        float[] input = UNetModuleTest.ramp(H * W, 3);
        try (UNetModule m = module()) {
            float[] expected = Torch.inference("test", () -> Torch.floats(m.forward(Torch.tensor(input, 1, 1, H, W))));
            for (UNetModule.Serving s : UNetModule.Serving.values()) {
                JitModule served = m.frozen(s);
                try {
                    float[] got = Torch.inference("test", () -> Torch.floats(
                            served.forward(new IValueVector(new IValue(s.input(Torch.tensor(input, 1, 1, H, W))))).toTensor()));
                    assertClose(expected, got, s.label());
                } finally {
                    served.close();
                }
            }
            // the module itself is untouched: still the same numbers, and still freezable as before
            float[] again = Torch.inference("test", () -> Torch.floats(m.forward(Torch.tensor(input, 1, 1, H, W))));
            assertArrayEquals(expected, again);
        }
    }

    @Test
    void freezingATrainingModuleIsRefused() {
        try (UNetModule m = UNetModule.create(SPEC, 1)) {
            assertThrows(IllegalStateException.class, () -> m.frozen(UNetModule.Serving.FROZEN));
        }
    }

    @Test
    void layerByLayerProfileComputesTheSameNetworkAndTimesEveryLayer() {
        float[] input = UNetModuleTest.ramp(32 * 32, 8);
        try (UNetModule m = module()) {
            float[] expected = Torch.inference("test", () -> Torch.floats(m.forward(Torch.tensor(input, 1, 1, 32, 32))));
            for (InferenceProfile.Layout layout : InferenceProfile.Layout.values()) {
                try (InferenceProfile.Net net = new InferenceProfile.Net(SPEC, m.weights(), layout)) {
                    double[] seconds = new double[SPEC.layers().size()];
                    java.util.Arrays.fill(seconds, -1);
                    float[] got = net.pass(input, 32, seconds);
                    assertClose(expected, got, layout.name());
                    for (double s : seconds) assertTrue(s >= 0, "every layer timed");
                    var summary = InferenceProfile.summary(SPEC, 32, java.util.List.of(seconds));
                    double macs = summary.stream().mapToDouble(InferenceProfile.LayerTime::macs).sum();
                    assertEquals(SPEC.macsPerPixel() * 32 * 32, macs, 1e-6 * macs, "layer multiply-adds add up to the spec's");
                }
            }
        }
    }

    private static void assertClose(float[] expected, float[] got, String what) {
        assertEquals(expected.length, got.length, what);
        double max = 0;
        for (int i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(expected[i] - got[i]));
        assertTrue(max <= 1e-5, what + ": max |difference| " + max);
    }
}
