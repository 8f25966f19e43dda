package dev.porescope.core.image;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LumaResizeTest {

    @Test
    void lumaIsBt601OfEachChannel() {
        int[] argb = {0xFF000000, 0xFFFFFFFF, 0xFFFF0000, 0xFF00FF00, 0x000000FF, 0xFF102030};
        Plane p = Luma.fromArgb(argb, 3, 2);
        assertEquals(0, p.get(0, 0), 1e-6);
        assertEquals(1, p.get(1, 0), 1e-6);
        assertEquals(0.299, p.get(2, 0), 1e-6);
        assertEquals(0.587, p.get(0, 1), 1e-6);
        assertEquals(0.114, p.get(1, 1), 1e-6, "alpha ignored");
        assertEquals((0.299 * 16 + 0.587 * 32 + 0.114 * 48) / 255, p.get(2, 1), 1e-6);
    }

    @Test
    void greyRoundTripsThroughArgb() {
        int[] argb = new int[256];
        for (int g = 0; g < 256; g++) argb[g] = 0xFF000000 | g << 16 | g << 8 | g;
        assertArrayEquals(argb, Luma.toArgb(Luma.fromArgb(argb, 16, 16)));
    }

    @Test
    void wrongArgbLengthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Luma.fromArgb(new int[5], 2, 2));
    }

    @Test
    void bilinearKeepsLinearRampsAndConstants() {
        Plane ramp = new Plane(8, 6);
        for (int y = 0; y < 6; y++) for (int x = 0; x < 8; x++) ramp.set(x, y, x);
        Plane up = Resize.bilinear(ramp, 16, 12);
        // target pixel centre (x + 0.5) / 2 - 0.5 in source coordinates, clamped to the source
        for (int x = 0; x < 16; x++) {
            double expected = Math.max(0, Math.min(7, (x + 0.5) / 2 - 0.5));
            assertEquals(expected, up.get(x, 5), 1e-5);
        }
        Plane down = Resize.bilinear(ramp, 4, 3);
        for (int x = 0; x < 4; x++) assertEquals(2 * x + 0.5, down.get(x, 1), 1e-5);
    }

    @Test
    void nearestMaskScalesBlocks() {
        Mask m = new Mask(2, 2);
        m.set(1, 0, true);
        Mask up = Resize.nearest(m, 6, 4);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) assertEquals(x >= 3 && y < 2, up.get(x, y), x + "," + y);
        }
        assertEquals(m, Resize.nearest(up, 2, 2));
    }

    @Test
    void areaAveragesBlocks() {
        Plane p = new Plane(5, 4);
        for (int i = 0; i < 20; i++) p.values()[i] = i;
        Plane a = Resize.area(p, 2);
        assertEquals(3, a.width());
        assertEquals(2, a.height());
        assertEquals((0 + 1 + 5 + 6) / 4.0, a.get(0, 0), 1e-6);
        assertEquals((4 + 9) / 2.0, a.get(2, 0), 1e-6);
    }

    @Test
    void mirrorReflectsWithoutRepeatingTheEdge() {
        int[] expected = {2, 1, 0, 1, 2, 3, 2, 1, 0, 1};
        for (int i = -2; i < 8; i++) assertEquals(expected[i + 2], Mirror.index(i, 4), "i=" + i);
        assertEquals(0, Mirror.index(-7, 1));
    }
}
