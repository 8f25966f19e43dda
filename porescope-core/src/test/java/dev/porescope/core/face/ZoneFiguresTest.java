package dev.porescope.core.face;

import dev.porescope.core.face.FaceLandmarks.Point;
import dev.porescope.core.pores.Pore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ZoneFiguresTest {

    @Test
    void poresAreCountedInTheZoneUnderThem() {
        DrawnFace drawn = new DrawnFace(1200, 1300).face(600, 560, 440);
        FaceZones zones = FaceZones.of(drawn.argb, 1200, 1300, FaceLandmarks.ofEyes(new Point(380, 560), new Point(820, 560)));
        // two 10 px pores on the nose, one 20 px pore on the subject's right cheek (image left)
        List<Pore> pores = List.of(pore(1, 600, 680, 10), pore(2, 600, 720, 10), pore(3, 314, 800, 20));
        List<ZoneFigures> figures = ZoneFigures.of(pores, zones, 10.0);

        ZoneFigures nose = figures.stream().filter(f -> f.zone() == Zone.NOSE).findFirst().orElseThrow();
        ZoneFigures cheek = figures.stream().filter(f -> f.zone() == Zone.RIGHT_CHEEK).findFirst().orElseThrow();
        ZoneFigures forehead = figures.stream().filter(f -> f.zone() == Zone.FOREHEAD).findFirst().orElseThrow();
        assertEquals(2, nose.summary().count());
        assertEquals(1, cheek.summary().count());
        assertEquals(0, forehead.summary().count());
        long nosePixels = zones.mask(Zone.NOSE).count();
        assertEquals(nosePixels, nose.summary().roiPixels());
        assertEquals(2 * 10_000.0 / nosePixels, nose.summary().per100x100(), 1e-9);
        // 10 um pixels: 1 px = 1e-6 cm^2
        assertEquals(2 / (nosePixels * 1e-6), nose.summary().perCm2(), 1e-6);
        assertEquals(1000, nose.summary().meanArea(), 1e-9, "10 px^2 = 1000 um^2");
        double f = 20.0 / nosePixels;
        assertEquals(100 * f / (f + 0.084), nose.score(), 1e-9);
        assertEquals(Zone.NOSE.label(), nose.label());
        assertEquals("right_cheek", cheek.name());
    }

    @Test
    void theScoreRisesWithDensityAndSizeAndStaysIn0To100() {
        assertEquals(0, ZoneFigures.score(0));
        assertEquals(50, ZoneFigures.score(0.084), 1e-9);
        double previous = 0;
        for (double fraction = 0.01; fraction <= 1; fraction += 0.01) {
            double s = ZoneFigures.score(fraction);
            assertTrue(s > previous && s < 100, "score " + s + " at pore fraction " + fraction);
            previous = s;
        }
    }

    private static Pore pore(int id, double x, double y, int area) {
        return new Pore(id, x, y, area, 10, 1, 4, 0.9, 0.05, (int) x - 1, (int) y - 1, 3, 3);
    }
}
