package dev.porescope.core.synth;

import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class SkinStatisticsTest {
    private static final int W = 60;
    private static final int H = 60;

    /** Background 0.8; pore A a 3x3 square of 0.76 at (10..12, 10..12); pore B a 21-px disk of 0.72 near it. */
    private static Plane luma;
    private static Mask pores;

    private static void build() {
        float[] v = new float[W * H];
        Arrays.fill(v, 0.8f);
        luma = new Plane(W, H, v);
        pores = new Mask(W, H);
        for (int y = 10; y <= 12; y++) {
            for (int x = 10; x <= 12; x++) { luma.set(x, y, 0.76f); pores.set(x, y, true); }
        }
        // B: the 21 pixels with dx^2 + dy^2 <= 5 around (17, 11), 3 px from A (inside A's ring)
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                if (dx * dx + dy * dy <= 5) { luma.set(17 + dx, 11 + dy, 0.72f); pores.set(17 + dx, 11 + dy, true); }
            }
        }
        // C: a pore outside the ROI (x >= 45 is excluded): not counted
        for (int y = 40; y <= 41; y++) {
            for (int x = 50; x <= 51; x++) { luma.set(x, y, 0.5f); pores.set(x, y, true); }
        }
    }

    private static Mask leftRoi() {
        Mask roi = new Mask(W, H);
        for (int y = 0; y < H; y++) for (int x = 0; x < 45; x++) roi.set(x, y, true);
        return roi;
    }

    @Test
    void handMadePoresGiveKnownFigures() {
        build();
        Mask roi = leftRoi();
        SkinStatistics s = SkinStatistics.measure(luma, pores, roi);
        assertEquals(2, s.count());
        assertEquals(2 * 10_000.0 / (45 * 60), s.poresPer100x100(), 1e-9);
        assertEquals((9 + 21) / 2.0, s.medianArea(), 1e-9);
        double dA = 2 * Math.sqrt(9 / Math.PI);
        double dB = 2 * Math.sqrt(21 / Math.PI);
        assertEquals((dA + dB) / 2, s.medianEquivalentDiameter(), 1e-9);
        // A: 1 - 0.76/0.8 = 0.05, B: 1 - 0.72/0.8 = 0.10; each ring skips the other pore
        assertEquals((0.05 + 0.10) / 2, s.medianRelativeContrast(), 1e-6);
        assertEquals(30.0 / (45 * 60), s.poreFraction(), 1e-12);
    }

    @Test
    void ringIsFivePixelsWide() {
        build();
        Mask roi = leftRoi();
        // a dark pixel 5 px left of pore A (x = 5) lies in A's ring; one at 6 px (x = 4) does not
        Plane far = luma.copy();
        far.set(4, 11, 0.0f);
        assertEquals(0.075, SkinStatistics.measure(far, pores, roi).medianRelativeContrast(), 1e-6);
        Plane near = luma.copy();
        near.set(5, 11, 0.0f);
        assertNotEquals(0.075, SkinStatistics.measure(near, pores, roi).medianRelativeContrast(), 1e-4);
    }

    @Test
    void touchingPixelsAreOnePoreEightConnected() {
        float[] v = new float[20 * 20];
        Arrays.fill(v, 0.5f);
        Mask m = new Mask(20, 20);
        m.set(5, 5, true);
        m.set(6, 6, true); // diagonal neighbour: same pore
        m.set(12, 12, true);
        SkinStatistics s = SkinStatistics.measure(new Plane(20, 20, v), m, Mask.full(20, 20));
        assertEquals(2, s.count());
        assertEquals(1.5, s.medianArea(), 1e-12);
    }

    @Test
    void sizesMustMatch() {
        assertThrows(IllegalArgumentException.class,
                () -> SkinStatistics.measure(new Plane(10, 10), new Mask(10, 11), Mask.full(10, 10)));
    }
}
