package dev.porescope.onnx;

import dev.porescope.core.image.Plane;
import dev.porescope.core.unet.UNetSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxWriterTest {

    private static void assertMatchesReference(UNetSpec spec, int w, int h, long seed) throws Exception {
        Map<String, float[]> weights = TestNets.randomWeights(spec, seed);
        Plane x = TestNets.noise(w, h, seed + 1);
        float[] expected = ReferenceUNet.forward(spec, weights, x.values(), h, w);
        float[] actual = Ort.run(new OnnxWriter(spec, weights).fp32(), x);
        double d = Ort.maxDiff(expected, actual);
        System.out.printf("fp32 %s %dx%d max |diff| vs reference = %.3g%n", spec.name(), w, h, d);
        assertTrue(d < 1e-4, "fp32 ONNX differs from the reference by " + d);
    }

    @Test
    void fp32MatchesIndependentReference() throws Exception {
        assertMatchesReference(TestNets.tiny(), 32, 32, 1);
    }

    @Test
    void fp32MatchesReferenceAtAnotherSizeAndTopology() throws Exception {
        assertMatchesReference(TestNets.tiny(), 48, 24, 2);
        assertMatchesReference(TestNets.odd(), 28, 20, 3);
    }
}
