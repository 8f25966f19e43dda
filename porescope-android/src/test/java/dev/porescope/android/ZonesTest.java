package dev.porescope.android;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import android.graphics.Bitmap;

import dev.porescope.core.baseline.DogModel;
import dev.porescope.core.face.FaceZones;
import dev.porescope.core.face.Zone;
import dev.porescope.core.face.ZoneFigures;

import java.util.Arrays;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.robolectric.RobolectricTestRunner;
import org.robolectric.annotation.Config;

/** Face zones from a Bitmap: a face drawn into the pixels, its zones and the pores counted per zone. */
@RunWith(RobolectricTestRunner.class)
@Config(sdk = 34)
public class ZonesTest {
    static final int W = 1000;
    static final int H = 1100;

    /** Eyes 420 px apart around (500, 460): skin oval, brows, lash lines, nostrils, lips, 3x3 px pores. */
    static int[] face() {
        int[] px = new int[W * H];
        Arrays.fill(px, 0xFF7090A8);
        double d = 420;
        double cx = 500;
        double cy = 460;
        oval(px, cx, cy + 0.35 * d, 1.1 * d, 1.55 * d, 0xFFE0AC96);
        for (int y = 100; y < 1050; y += 17) {
            for (int x = 150; x < 850; x += 19) {
                if (px[y * W + x] != 0xFFE0AC96) continue;
                for (int dy = 0; dy < 3; dy++) for (int dx = 0; dx < 3; dx++) px[(y + dy) * W + x + dx] = 0xFFC89886;
            }
        }
        for (int side = -1; side <= 1; side += 2) {
            oval(px, cx + side * 0.47 * d, cy - 0.38 * d, 0.3 * d, 0.05 * d, 0xFF3C2D28);
            oval(px, cx + side * 0.5 * d, cy, 0.18 * d, 0.035 * d, 0xFF2A2020);
            oval(px, cx + side * 0.12 * d, cy + 0.66 * d, 0.05 * d, 0.03 * d, 0xFF3A2420);
        }
        oval(px, cx, cy + 1.05 * d, 0.28 * d, 0.07 * d, 0xFFB45A5A);
        return px;
    }

    private static void oval(int[] px, double cx, double cy, double rx, double ry, int colour) {
        for (int y = (int) Math.max(0, cy - ry); y <= Math.min(H - 1, cy + ry); y++) {
            for (int x = (int) Math.max(0, cx - rx); x <= Math.min(W - 1, cx + rx); x++) {
                double u = (x + 0.5 - cx) / rx;
                double v = (y + 0.5 - cy) / ry;
                if (u * u + v * v <= 1) px[y * W + x] = colour;
            }
        }
    }

    @Test
    public void aFaceBitmapIsCountedPerZone() {
        Bitmap photo = BitmapsTest.bitmap(face(), W, H);
        try (PoreModel model = PoreScope.wrap(DogModel.defaults())) {
            PoreReport report = model.analyzeZones(photo, 0);
            FaceZones zones = report.zones();
            assertEquals(zones.note(), FaceZones.Status.FACE, zones.status());
            assertEquals(Zone.NOSE.label(), zones.label(500, 590));                 // 0.3 eye distances below the eyes
            assertEquals(Zone.RIGHT_CHEEK.label(), zones.label(227, 690));          // the subject's right: image left
            assertEquals(0, zones.label(290, 460));                                 // the eye
            List<ZoneFigures> figures = report.zoneFigures();
            assertEquals(5, figures.size());
            int inZones = figures.stream().mapToInt(f -> f.summary().count()).sum();
            assertEquals(report.count(), inZones);
            assertTrue("the drawn pores are found: " + inZones, inZones > 100);
            assertEquals(zones.analysed().count(), report.summary().roiPixels());

            Bitmap overlay = model.overlay(photo, report);
            int[] drawn = new int[W * H];
            overlay.getPixels(drawn, 0, W, 0, 0, W, H);
            assertEquals("the zone outline is drawn at the top of the nose zone", 0xFFFFFFFF, drawn[firstNoseRow(zones) * W + 500]);
        }
    }

    @Test
    public void aBitmapWithoutSkinIsRefusedWithTheReason() {
        int[] blue = new int[200 * 100];
        Arrays.fill(blue, 0xFF2050C0);
        try (PoreModel model = PoreScope.wrap(DogModel.defaults())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.analyzeZones(BitmapsTest.bitmap(blue, 200, 100), 0));
            assertTrue(e.getMessage(), e.getMessage().contains("no skin found"));
        }
    }

    private static int firstNoseRow(FaceZones zones) {
        for (int y = 0; y < H; y++) if (zones.label(500, y) == Zone.NOSE.label()) return y;
        throw new AssertionError("no nose zone on x = 500");
    }
}
