package dev.porescope.android;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import android.graphics.Bitmap;

import dev.porescope.core.baseline.DogModel;
import dev.porescope.core.image.Luma;
import dev.porescope.core.image.Plane;
import dev.porescope.core.pipeline.PoreAnalyzer;
import dev.porescope.core.pores.Pore;

import java.util.Arrays;
import java.util.Collections;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.robolectric.RobolectricTestRunner;
import org.robolectric.annotation.Config;

/** A photo with dark disks of known size, analysed from a Bitmap through core's pipeline. */
@RunWith(RobolectricTestRunner.class)
@Config(sdk = 34)
public class AnalyzeTest {
    static final int W = 64;
    static final int H = 48;
    static final int SKIN = 0xFFC8B4A0;
    static final int PORE = 0xFF503C32;
    /** Disks: centre x, centre y, radius. */
    static final int[][] DISKS = {{12, 12, 2}, {40, 16, 3}, {24, 34, 4}};

    static boolean inDisk(int x, int y, int[] d) {
        int dx = x - d[0];
        int dy = y - d[1];
        return dx * dx + dy * dy <= d[2] * d[2];
    }

    static int[] photoPixels() {
        int[] argb = new int[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean pore = false;
                for (int[] d : DISKS) pore |= inDisk(x, y, d);
                argb[y * W + x] = pore ? PORE : SKIN;
            }
        }
        return argb;
    }

    static int diskArea(int[] d) {
        int n = 0;
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) if (inDisk(x, y, d)) n++;
        return n;
    }

    /** After standardisation dark pixels are far below the mean: call them pores. */
    static PoreModel darkSpotModel() {
        return PoreScope.wrap(new TestModels.FakeModel(TestModels.card("onnx", "fp32", Collections.emptyList()), tile -> {
            float[] v = tile.values();
            float[] p = new float[v.length];
            for (int i = 0; i < v.length; i++) p[i] = v[i] < -1 ? 0.9f : 0.1f;
            return new Plane(tile.width(), tile.height(), p);
        }));
    }

    @Test
    public void findsTheDisksWithTheirAreasAndCentres() {
        Bitmap photo = BitmapsTest.bitmap(photoPixels(), W, H);
        try (PoreModel model = darkSpotModel()) {
            PoreReport report = model.analyze(photo);
            assertEquals(DISKS.length, report.count());
            int[] expectedAreas = new int[DISKS.length];
            int[] foundAreas = new int[DISKS.length];
            for (int i = 0; i < DISKS.length; i++) {
                expectedAreas[i] = diskArea(DISKS[i]);
                Pore pore = report.pores().get(i);  // raster order of first pixel = order of DISKS
                foundAreas[i] = pore.area();
                assertEquals(DISKS[i][0] + 0.5, pore.x(), 1e-9);  // ImageJ pixel centres
                assertEquals(DISKS[i][1] + 0.5, pore.y(), 1e-9);
            }
            assertEquals(Arrays.toString(expectedAreas), Arrays.toString(foundAreas));
            assertEquals(DISKS.length * 10_000.0 / (W * H), report.poresPer100x100Pixels(), 1e-9);
            assertEquals(null, report.poresPerCm2());
            assertEquals(Arrays.stream(expectedAreas).sum(), report.poreMask().count());
        }
    }

    @Test
    public void reportFromABitmapEqualsCoresAnalysisOfTheSamePixels() {
        // a textured photo: random skin-coloured noise plus the disks, analysed by core's DoG model
        int[] argb = photoPixels();
        int[] noise = BitmapsTest.randomOpaquePixels(W * H, 5);
        for (int i = 0; i < argb.length; i++) argb[i] = (argb[i] & 0xFFF0F0F0) | (noise[i] & 0x000F0F0F);
        int[] roi = new int[W * H];
        for (int i = 0; i < roi.length; i++) roi[i] = (i % W) < 50 ? 0xFFFFFFFF : 0xFF000000;
        DogModel dog = DogModel.defaults();
        PoreAnalyzer.Analysis desktop = new PoreAnalyzer(dog).withPixelSizeUm(25.0)
                .analyze(Luma.fromArgb(argb, W, H), Bitmaps.roi(BitmapsTest.bitmap(roi, W, H), W, H));
        try (PoreModel phone = PoreScope.wrap(dog)) {
            PoreReport report = phone.analyze(BitmapsTest.bitmap(argb, W, H), BitmapsTest.bitmap(roi, W, H), 25);
            assertTrue("the test photo must have pores", report.count() > 0);
            assertEquals(desktop.probability(), report.probability());
            assertEquals(desktop.poreMask(), report.poreMask());
            assertEquals(desktop.pores(), report.pores());
            assertEquals(desktop.summary(), report.summary());
        }
    }

    @Test
    public void pixelSizeGivesDensityPerSquareCentimetre() {
        try (PoreModel model = darkSpotModel()) {
            PoreReport report = model.analyze(BitmapsTest.bitmap(photoPixels(), W, H), null, 20);
            double cm = 20e-4;
            assertEquals(DISKS.length / (W * H * cm * cm), report.poresPerCm2(), 1e-6);
            assertEquals("um^2", report.summary().areaUnit());
        }
    }

    @Test
    public void onlyPoresInsideTheRoiCount() {
        int[] roi = new int[W * H];
        Arrays.fill(roi, 0xFFFFFFFF);
        for (int y = 0; y < H; y++) for (int x = 32; x < W; x++) roi[y * W + x] = 0xFF000000;  // right half out
        try (PoreModel model = darkSpotModel()) {
            PoreReport report = model.analyze(BitmapsTest.bitmap(photoPixels(), W, H), BitmapsTest.bitmap(roi, W, H), 0);
            assertEquals(2, report.count());
            assertEquals(32L * H, report.summary().roiPixels());
        }
    }

    @Test
    public void overlayOutlinesPoresOnTheBitmap() {
        Bitmap photo = BitmapsTest.bitmap(photoPixels(), W, H);
        try (PoreModel model = darkSpotModel()) {
            PoreReport report = model.analyze(photo);
            Bitmap overlay = model.overlay(photo, report);
            assertEquals(W, overlay.getWidth());
            assertEquals(H, overlay.getHeight());
            int[] px = new int[W * H];
            overlay.getPixels(px, 0, W, 0, 0, W, H);
            int[] d = DISKS[2];  // largest disk: red outline just above its top pixel; the pore itself stays visible
            assertEquals(0xFFFF2010, px[(d[1] - d[2] - 1) * W + d[0]]);
            assertEquals(PORE, px[(d[1] - d[2]) * W + d[0]]);
            assertEquals(PORE, px[d[1] * W + d[0]]);
            assertEquals(0xFF2040FF, px[(DISKS[0][1] - DISKS[0][2] - 1) * W + DISKS[0][0]]);  // smallest: blue
            assertEquals(SKIN, px[0]);
            assertEquals("the photo is not changed", PORE, photo.getPixel(d[0], d[1] - d[2]));
        }
    }

    @Test
    public void badArgumentsAreClearExceptions() {
        Bitmap photo = BitmapsTest.bitmap(photoPixels(), W, H);
        PoreModel model = darkSpotModel();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> model.analyze(photo, null, -1))
                .getMessage().contains("pixel size"));
        Bitmap small = Bitmap.createBitmap(8, 8, Bitmap.Config.ARGB_8888);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> model.analyze(photo, small, 0))
                .getMessage().contains("same size"));
        PoreReport report = model.analyze(photo);
        assertThrows(IllegalArgumentException.class, () -> model.overlay(small, report));
        model.close();
        assertThrows(IllegalStateException.class, () -> model.analyze(photo));
        assertThrows(IllegalStateException.class, model::selfTest);
    }
}
