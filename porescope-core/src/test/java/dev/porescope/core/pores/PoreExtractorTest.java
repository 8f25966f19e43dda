package dev.porescope.core.pores;

import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class PoreExtractorTest {

    private static void fillRect(Plane p, int x, int y, int w, int h, float v) {
        for (int j = y; j < y + h; j++) for (int i = x; i < x + w; i++) p.set(i, j, v);
    }

    private static Plane filled(int w, int h, float v) {
        Plane p = new Plane(w, h);
        java.util.Arrays.fill(p.values(), v);
        return p;
    }

    @Test
    void handMadePoresAreFoundAndMeasured() {
        Plane probability = filled(60, 40, 0.1f);
        Plane luma = filled(60, 40, 0.5f);
        fillRect(probability, 10, 10, 4, 3, 0.9f);   // 12 px rectangle
        fillRect(luma, 10, 10, 4, 3, 0.4f);          // 20 % darker than its ring
        fillRect(probability, 40, 20, 1, 1, 0.8f);   // single pixel
        fillRect(luma, 40, 20, 1, 1, 0.45f);
        fillRect(probability, 30, 5, 2, 2, 0.7f);    // 2x2 plus a diagonal neighbour: one 8-connected pore
        fillRect(probability, 32, 7, 1, 1, 0.7f);
        PoreResult result = new PoreExtractor(0.5, 1).extract(probability, luma, Mask.full(60, 40));
        List<Pore> pores = result.pores();
        assertEquals(3, pores.size());
        assertEquals(12 + 1 + 5, result.poreMask().count());

        Pore diagonal = pores.get(0); // raster order: (30,5) first
        assertEquals(5, diagonal.area());
        assertEquals(new double[]{30, 5, 3, 3}[2], diagonal.width());
        assertEquals(Math.sqrt(3 * 3 + 3 * 3), diagonal.feret(), 1e-9);

        Pore rect = pores.get(1);
        assertEquals(2, rect.id());
        assertEquals(12, rect.area());
        assertEquals(12.0, rect.x(), 1e-9);  // columns 10..13, centres 10.5..13.5
        assertEquals(11.5, rect.y(), 1e-9);
        assertEquals(List.of(10, 10, 4, 3), List.of(rect.bx(), rect.by(), rect.width(), rect.height()));
        assertEquals(0.9, rect.meanProbability(), 1e-6);
        assertEquals(0.2, rect.contrast(), 1e-6);
        assertEquals(14 - 4 * (2 - Math.sqrt(2)), rect.perimeter(), 1e-9);
        assertEquals(5.0, rect.feret(), 1e-9);
        assertEquals(Math.min(1, 4 * Math.PI * 12 / Math.pow(rect.perimeter(), 2)), rect.circularity(), 1e-12);

        Pore single = pores.get(2);
        assertEquals(1, single.area());
        assertEquals(4 - 2 * (2 - Math.sqrt(2)), single.perimeter(), 1e-9); // ImageJ: 2.828
        assertEquals(1.0, single.circularity());                             // capped
        assertEquals(Math.sqrt(2), single.feret(), 1e-9);
        assertEquals(0.1, single.contrast(), 1e-6);
    }

    @Test
    void sizeFiltersAndRoiClip() {
        Plane probability = filled(40, 20, 0f);
        fillRect(probability, 2, 2, 1, 2, 1f);    // 2 px
        fillRect(probability, 10, 2, 3, 3, 1f);   // 9 px
        fillRect(probability, 20, 2, 10, 10, 1f); // 100 px, half outside the ROI
        Mask roi = Mask.full(40, 20);
        for (int y = 0; y < 20; y++) for (int x = 25; x < 40; x++) roi.set(x, y, false);
        PoreResult r = new PoreExtractor(0.5, 3, 60).extract(probability, filled(40, 20, 0.5f), roi);
        assertEquals(List.of(9, 50), r.pores().stream().map(Pore::area).toList());
        assertEquals(59, r.poreMask().count());
        assertFalse(r.poreMask().get(2, 2), "too small");
        assertFalse(r.poreMask().get(26, 5), "outside ROI");
        assertThrows(IllegalArgumentException.class, () -> new PoreExtractor(0.5, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new PoreExtractor(0.5, 5, 4));
    }

    /** Random blobs: areas, centroids and Feret diameters against brute force. */
    @Test
    void measurementsMatchBruteForce() {
        Random random = new Random(42);
        for (int trial = 0; trial < 30; trial++) {
            int w = 12 + random.nextInt(20);
            int h = 12 + random.nextInt(20);
            Plane probability = new Plane(w, h);
            for (int i = 0; i < w * h; i++) probability.values()[i] = random.nextFloat() < 0.35 ? 1f : 0f;
            // no hair filter: random blobs are often thin lines
            PoreResult r = new PoreExtractor(0.5, 1).withMaxElongation(Double.POSITIVE_INFINITY)
                    .extract(probability, filled(w, h, 0.5f), null);
            Components c = Components.of(Mask.threshold(probability, 0.5f));
            assertEquals(c.count(), r.pores().size());
            for (Pore pore : r.pores()) {
                int label = pore.id(); // no size filter: pores and components share raster numbering
                double sx = 0, sy = 0;
                int n = 0;
                long far = 0;
                int[] lab = c.labels();
                for (int i = 0; i < lab.length; i++) {
                    if (lab[i] != label) continue;
                    n++;
                    sx += i % w + 0.5;
                    sy += i / w + 0.5;
                    for (int j = 0; j < lab.length; j++) {
                        if (lab[j] != label) continue;
                        // farthest corners of the two pixels
                        long dx = Math.abs(i % w - j % w) + 1;
                        long dy = Math.abs(i / w - j / w) + 1;
                        far = Math.max(far, dx * dx + dy * dy);
                    }
                }
                assertEquals(n, pore.area());
                assertEquals(sx / n, pore.x(), 1e-9);
                assertEquals(sy / n, pore.y(), 1e-9);
                assertEquals(Math.sqrt(far), pore.feret(), 1e-9);
                assertTrue(pore.circularity() > 0 && pore.circularity() <= 1);
            }
        }
    }

    /** Filled digital disks: the crack length is the brute-force count of pixel edges facing outside. */
    @Test
    void outlineOfDisksMatchesEdgeCountAndCircle() {
        for (int radius = 2; radius <= 20; radius++) {
            int size = 2 * radius + 5;
            Mask disk = new Mask(size, size);
            double c = size / 2.0;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    disk.set(x, y, Math.hypot(x + 0.5 - c, y + 0.5 - c) <= radius);
                }
            }
            int edges = 0;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    if (!disk.get(x, y)) continue;
                    if (!disk.get(x - 1, y)) edges++;
                    if (!disk.get(x + 1, y)) edges++;
                    if (!disk.get(x, y - 1)) edges++;
                    if (!disk.get(x, y + 1)) edges++;
                }
            }
            Components comps = Components.of(disk);
            int first = 0;
            while (comps.labels()[first] == 0) first++;
            Outline outline = Outline.trace(comps.labels(), size, size, 1, first % size, first / size);
            assertEquals(edges, outline.crackLength(), "radius " + radius);
            if (radius >= 5) {
                // ImageJ's traced perimeter counts a 2-1 staircase as 1 + sqrt 2: up to ~8 % over a true circle
                double circle = 2 * Math.PI * radius;
                assertTrue(outline.perimeter() > 0.98 * circle && outline.perimeter() < 1.10 * circle,
                        "radius " + radius + ": " + outline.perimeter() + " vs " + circle);
            }
        }
    }

    @Test
    void thinLongComponentsAreHairsNotPores() {
        Plane probability = filled(80, 40, 0.1f);
        Plane luma = filled(80, 40, 0.5f);
        fillRect(probability, 5, 10, 30, 1, 0.9f);   // a hair: 30 x 1 px (elongation 30, 1 px thick)
        fillRect(probability, 5, 20, 30, 2, 0.9f);   // a thicker hair: 30 x 2 px (elongation 15, 2 px thick)
        fillRect(probability, 50, 10, 5, 5, 0.9f);   // a round pore
        fillRect(probability, 50, 25, 16, 4, 0.9f);  // two touching pores: long (16 px) but 4 px thick
        fillRect(probability, 70, 30, 6, 1, 0.9f);   // short line: too short to tell from a pore
        PoreResult filtered = new PoreExtractor(0.5, 1).extract(probability, luma, null);
        assertEquals(List.of(25, 64, 6), filtered.pores().stream().map(Pore::area).toList(),
                "hairs dropped; round pore, pore chain and short line kept");
        assertEquals(25 + 64 + 6, filtered.poreMask().count(), "the mask holds only the kept pores");
        assertEquals(List.of(1, 2, 3), filtered.pores().stream().map(Pore::id).toList(), "ids stay 1.. without gaps");

        PoreResult unfiltered = new PoreExtractor(0.5, 1).withMaxElongation(Double.POSITIVE_INFINITY)
                .extract(probability, luma, null);
        assertEquals(5, unfiltered.pores().size(), "without the hair filter every component is a pore");
    }
}
