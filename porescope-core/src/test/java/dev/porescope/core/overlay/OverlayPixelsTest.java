package dev.porescope.core.overlay;

import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.pores.PoreExtractor;
import dev.porescope.core.pores.PoreResult;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class OverlayPixelsTest {
    private static final int GREY = 0xFF808080;

    @Test
    void outlinesEachPoreOutsideItInItsSizeColourAndLeavesTheRestAlone() {
        int w = 20;
        int h = 12;
        Plane probability = new Plane(w, h);
        fill(probability, 2, 2, 3);    // 3x3: the smallest pore -> blue end of the map
        fill(probability, 10, 2, 7);   // 7x7: the largest pore -> red end
        PoreResult found = new PoreExtractor(0.5, 1).extract(probability, new Plane(w, h), null);
        int[] photo = new int[w * h];
        Arrays.fill(photo, GREY);

        int[] out = OverlayPixels.pores(photo, found.poreMask(), found.pores());

        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int expected = GREY;
                if (ring(x, y, 2, 2, 3)) expected = 0xFF2040FF;
                if (ring(x, y, 10, 2, 7)) expected = 0xFFFF2010;
                assertEquals(Integer.toHexString(expected), Integer.toHexString(out[y * w + x]), "pixel " + x + "," + y);
            }
        }
        assertEquals(GREY, photo[1 * w + 1], "the photo itself is not changed");
    }

    @Test
    void layerFillsEachPoreInItsSizeColourAndLeavesTheRestTransparent() {
        int w = 20;
        int h = 12;
        Plane probability = new Plane(w, h);
        fill(probability, 2, 2, 3);    // smallest -> blue end
        fill(probability, 10, 2, 7);   // largest -> red end
        PoreResult found = new PoreExtractor(0.5, 1).extract(probability, new Plane(w, h), null);

        int[] layer = OverlayPixels.layer(found.poreMask(), found.pores(), null);

        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int expected = 0;
                if (x >= 2 && x < 5 && y >= 2 && y < 5) expected = 0xFF2040FF;
                if (x >= 10 && x < 17 && y >= 2 && y < 9) expected = 0xFFFF2010;
                assertEquals(Integer.toHexString(expected), Integer.toHexString(layer[y * w + x]), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void refusesAPhotoOfAnotherSize() {
        int[] px = new int[36];
        assertThrows(IllegalArgumentException.class, () -> OverlayPixels.pores(px, new Mask(5, 5), java.util.List.of()));
    }

    private static void fill(Plane p, int x0, int y0, int side) {
        for (int y = y0; y < y0 + side; y++) for (int x = x0; x < x0 + side; x++) p.set(x, y, 1f);
    }

    /** The 8-neighbour ring just outside a square. */
    private static boolean ring(int x, int y, int x0, int y0, int side) {
        boolean grown = x >= x0 - 1 && x <= x0 + side && y >= y0 - 1 && y <= y0 + side;
        boolean inside = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
        return grown && !inside;
    }
}
