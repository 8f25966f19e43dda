package dev.porescope.core.unet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's figures for the two specs it names, computed here by hand from the layer widths
 * (not through {@link UNetSpec#parameters()} or {@link UNetSpec#layers()}): 3x3 convs without
 * bias + BatchNorm (gamma, beta), 2x2 stride-2 up-convs with bias, a 1x1 head with bias to 2 classes.
 */
class UNetSpecTest {

    /** Trainable parameters of the 4-level family with widths a, b, c, d (BatchNorm running stats excluded). */
    private static long handParameters(long a, long b, long c, long d) {
        long enc = (9 * 1 * a + 2 * a) + (9 * a * b + 2 * b) + (9 * b * c + 2 * c) + (9 * c * d + 2 * d);
        long up = (4 * d * c + c) + (4 * c * b + b) + (4 * b * a + a);          // transposed conv weight + bias
        long dec = (9 * 2 * c * c + 2 * c) + (9 * 2 * b * b + 2 * b) + (9 * 2 * a * a + 2 * a); // input = up + skip
        long head = a * 2 + 2;
        return enc + up + dec + head;
    }

    /** Multiply-adds per input pixel: each layer's per-output-pixel cost over 4^level. */
    private static double handMacs(double a, double b, double c, double d) {
        double enc = 9 * a + 9 * a * b / 4 + 9 * b * c / 16 + 9 * c * d / 64;
        double up = d * c / 16 + c * b / 4 + b * a;       // a 2x2 stride-2 up-conv: in*out per output pixel
        double dec = 9 * 2 * c * c / 16 + 9 * 2 * b * b / 4 + 9 * 2 * a * a;
        double head = 2 * a;
        return enc + up + dec + head;
    }

    @Test
    void slimHasTheReadmeCounts() {
        UNetSpec slim = UNetSpec.named("slim");
        assertEquals(59_634, handParameters(8, 16, 32, 64));
        assertEquals(4_792, handMacs(8, 16, 32, 64), 1e-9);
        assertEquals(handParameters(8, 16, 32, 64), slim.parameterCount());
        assertEquals(handMacs(8, 16, 32, 64), slim.macsPerPixel(), 1e-9);
    }

    @Test
    void paperHasTheReadmeCounts() {
        UNetSpec paper = UNetSpec.paper();
        assertEquals(2_131_874, handParameters(48, 96, 192, 384));
        assertEquals(169_872, handMacs(48, 96, 192, 384), 1e-9);
        assertEquals(handParameters(48, 96, 192, 384), paper.parameterCount());
        assertEquals(handMacs(48, 96, 192, 384), paper.macsPerPixel(), 1e-9);
    }

    /**
     * Receptive-field radius by hand, in input pixels, for the 4-level family (independent of the
     * widths): 3x3 convs add 1 step of their level (1, 2, 4, 8 px), 3x3 stride-2 pools 1 step of
     * their input level (1, 2, 4 px): 1+1+2+2+4+4+8 = 22 at the bottleneck; the way up adds 4 + 2 + 1
     * for the convs and at most one output step per up-conv for its 2x2 alignment (4 + 2 + 1): 36.
     * The margin must cover it and be a multiple of the size multiple 8; the spec's conservative
     * rule (2 output steps per up-conv: 22 + 8 + 4 + 4 + 2 + 2 + 1 = 43) rounds up to 48.
     */
    @Test
    void marginsCoverTheReceptiveField() {
        for (UNetSpec spec : new UNetSpec[]{UNetSpec.paper(), UNetSpec.named("slim")}) {
            assertEquals(8, spec.sizeMultiple());
            assertTrue(spec.margin() >= 36, spec.name() + " margin " + spec.margin());
            assertEquals(0, spec.margin() % 8);
            assertEquals(48, spec.margin());
        }
    }
}
