package dev.porescope.android;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import android.graphics.Bitmap;

import dev.porescope.core.image.Luma;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;

import java.util.Random;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.robolectric.RobolectricTestRunner;
import org.robolectric.annotation.Config;

@RunWith(RobolectricTestRunner.class)
@Config(sdk = 34)
public class BitmapsTest {

    static int[] randomOpaquePixels(int n, long seed) {
        Random random = new Random(seed);
        int[] argb = new int[n];
        for (int i = 0; i < n; i++) {
            argb[i] = 0xFF000000 | random.nextInt(1 << 24);
        }
        return argb;
    }

    static Bitmap bitmap(int[] argb, int w, int h) {
        Bitmap b = Bitmap.createBitmap(w, h, Bitmap.Config.ARGB_8888);
        b.setPixels(argb, 0, w, 0, 0, w, h);
        return b;
    }

    @Test
    public void bitmapLumaIsTheDesktopLumaOfTheSamePixels() {
        int w = 37;
        int h = 23;
        int[] argb = randomOpaquePixels(w * h, 3);
        Plane phone = Bitmaps.luma(bitmap(argb, w, h));
        Plane desktop = Luma.fromArgb(argb, w, h);
        assertEquals(desktop, phone);
    }

    @Test
    public void lumaIsBt601() {
        Plane luma = Bitmaps.luma(bitmap(new int[] {0xFFFF0000, 0xFF00FF00, 0xFF0000FF, 0xFFFFFFFF}, 2, 2));
        assertArrayEquals(new float[] {0.299f, 0.587f, 0.114f, 1f}, luma.values(), 1e-6f);
    }

    @Test
    public void otherConfigsAreRefusedWithWhatToDo() {
        Bitmap rgb565 = Bitmap.createBitmap(4, 4, Bitmap.Config.RGB_565);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bitmaps.luma(rgb565));
        assertTrue(e.getMessage(), e.getMessage().contains("ARGB_8888") && e.getMessage().contains("RGB_565"));
        Bitmap converted = Bitmaps.toArgb8888(rgb565);
        assertEquals(Bitmap.Config.ARGB_8888, converted.getConfig());
        assertEquals(16, Bitmaps.luma(converted).values().length);
    }

    @Test
    public void aRecycledOrMissingBitmapIsRefused() {
        Bitmap b = Bitmap.createBitmap(4, 4, Bitmap.Config.ARGB_8888);
        b.recycle();
        assertThrows(IllegalArgumentException.class, () -> Bitmaps.luma(b));
        assertThrows(IllegalArgumentException.class, () -> Bitmaps.luma(null));
    }

    @Test
    public void roiIsBlackOutsideAnythingElseInsideAndMustMatchThePhoto() {
        // the rule the command line applies to ROI PNGs: any non-zero colour is inside (README, data folder)
        int[] argb = {0xFFFFFFFF, 0xFF000000, 0xFF646464, 0xFF000001};
        Mask roi = Bitmaps.roi(bitmap(argb, 2, 2), 2, 2);
        assertTrue(roi.get(0, 0));
        assertFalse(roi.get(1, 0));
        assertTrue(roi.get(0, 1));   // grey 100: inside (it was outside on the phone, inside on the command line)
        assertTrue(roi.get(1, 1));   // blue 1: inside
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bitmaps.roi(bitmap(argb, 2, 2), 3, 2));
        assertTrue(e.getMessage(), e.getMessage().contains("same size"));
    }
}
