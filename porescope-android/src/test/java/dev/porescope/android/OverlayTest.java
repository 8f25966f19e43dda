package dev.porescope.android;

import static org.junit.Assert.assertEquals;

import dev.porescope.core.image.Mask;

import java.util.Arrays;

import org.junit.Test;

public class OverlayTest {
    private static final int GREY = 0xFF808080;

    @Test
    public void outlinesEachPoreInItsSizeColourAndLeavesTheRestAlone() {
        int w = 20;
        int h = 12;
        Mask pores = new Mask(w, h);
        fill(pores, 2, 2, 3);    // 3x3: the smallest pore -> first colour of the ramp
        fill(pores, 10, 2, 7);   // 7x7: the largest pore -> last colour
        int[] photo = new int[w * h];
        Arrays.fill(photo, GREY);

        int[] out = Overlay.draw(photo, pores);

        int small = Overlay.RAMP[0];
        int large = Overlay.RAMP[Overlay.RAMP.length - 1];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int expected = GREY;
                if (onBorder(x, y, 2, 2, 3)) expected = small;
                if (onBorder(x, y, 10, 2, 7)) expected = large;
                assertEquals("pixel " + x + "," + y, Integer.toHexString(expected), Integer.toHexString(out[y * w + x]));
            }
        }
        assertEquals("the photo itself is not changed", GREY, photo[2 * w + 2]);
    }

    @Test
    public void poresOfOneSizeGetTheMiddleColour() {
        Mask pores = new Mask(8, 8);
        fill(pores, 0, 0, 2);
        fill(pores, 5, 5, 2);
        int[] out = Overlay.draw(new int[64], pores);
        assertEquals(Overlay.ramp(0.5), out[0]);
        assertEquals(Overlay.ramp(0.5), out[5 * 8 + 5]);
    }

    private static void fill(Mask m, int x0, int y0, int side) {
        for (int y = y0; y < y0 + side; y++) for (int x = x0; x < x0 + side; x++) m.set(x, y, true);
    }

    private static boolean onBorder(int x, int y, int x0, int y0, int side) {
        boolean inside = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
        return inside && (x == x0 || y == y0 || x == x0 + side - 1 || y == y0 + side - 1);
    }
}
