package dev.porescope.core.metrics;

import dev.porescope.core.image.Mask;
import dev.porescope.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class MetricsTest {

    private static Mask mask(int w, int h, int... xy) {
        Mask m = new Mask(w, h);
        for (int i = 0; i < xy.length; i += 2) m.set(xy[i], xy[i + 1], true);
        return m;
    }

    private static void rect(Mask m, int x, int y, int w, int h) {
        for (int j = y; j < y + h; j++) for (int i = x; i < x + w; i++) m.set(i, j, true);
    }

    @Test
    void pixelCountsAndScores() {
        Mask pred = mask(4, 1, 0, 0, 1, 0);
        Mask truth = mask(4, 1, 1, 0, 2, 0);
        PixelMetrics m = PixelMetrics.of(pred, truth, null);
        assertEquals(1, m.tp());
        assertEquals(1, m.fp());
        assertEquals(1, m.fn());
        assertEquals(1, m.tn());
        assertEquals(0.5, m.dice(), 1e-12);
        assertEquals(1 / 3.0, m.iou(), 1e-12);
        assertEquals(0.5, m.precision(), 1e-12);
        assertEquals(0.5, m.recall(), 1e-12);
        Mask roi = mask(4, 1, 1, 0);
        assertEquals(1, PixelMetrics.of(pred, truth, roi).dice());
        PixelMetrics empty = PixelMetrics.of(new Mask(3, 3), new Mask(3, 3), null);
        assertEquals(1, empty.dice());
        assertEquals(1, empty.iou());
    }

    @Test
    void pixelPoolingAddsCountsAndSurvivesJson() {
        PixelMetrics a = PixelMetrics.of(mask(4, 1, 0, 0, 1, 0), mask(4, 1, 1, 0, 2, 0), null);
        PixelMetrics b = PixelMetrics.of(mask(2, 2, 0, 0), mask(2, 2, 0, 0, 1, 1), null);
        PixelMetrics pooled = new PixelMetrics().add(a).add(b);
        assertEquals(2 * 2.0 / (2 * 2 + 1 + 2), pooled.dice(), 1e-12);
        String json = Json.write(pooled);
        assertTrue(json.contains("\"dice\""), json);
        PixelMetrics back = Json.read(json, PixelMetrics.class);
        assertEquals(pooled.toString(), back.toString());
        assertThrows(IllegalArgumentException.class, () -> PixelMetrics.of(new Mask(2, 2), new Mask(3, 2), null));
    }

    @Test
    void poresMatchByOverlapOrNearCentroidOneToOne() {
        Mask pred = new Mask(60, 20);
        Mask truth = new Mask(60, 20);
        rect(pred, 1, 1, 3, 3);  rect(truth, 3, 3, 3, 3);    // overlap at (3,3)
        rect(pred, 10, 1, 2, 2); rect(truth, 13, 1, 2, 2);   // centroids 3 px apart, no overlap: match
        rect(pred, 20, 1, 2, 2); rect(truth, 24, 1, 2, 2);   // 4 px apart: no match
        rect(pred, 30, 1, 6, 1); rect(truth, 30, 3, 1, 1); rect(truth, 34, 3, 1, 1); // one pred near two labels
        rect(truth, 30, 0, 1, 1);                             // a third label near that pred: still one match
        PoreMetrics m = PoreMetrics.of(pred, truth, null);
        // pred pores: 4; label pores: 1+1+1+3 = 6; matches: 3
        assertEquals(3, m.tp());
        assertEquals(1, m.fp());
        assertEquals(3, m.fn());
        assertEquals(2 * 3.0 / (6 + 1 + 3), m.f1(), 1e-12);
        // ROI that hides the far pair removes it from both sides
        Mask roi = Mask.full(60, 20);
        for (int y = 0; y < 20; y++) for (int x = 19; x < 27; x++) roi.set(x, y, false);
        PoreMetrics clipped = PoreMetrics.of(pred, truth, roi);
        assertEquals(3, clipped.tp());
        assertEquals(0, clipped.fp());
        assertEquals(2, clipped.fn());
        PoreMetrics none = PoreMetrics.of(new Mask(5, 5), new Mask(5, 5), null);
        assertEquals(1, none.f1());
        assertEquals(clipped.f1(), Json.read(Json.write(clipped), PoreMetrics.class).f1());
    }

    @Test
    void hopcroftKarpEqualsBruteForce() {
        Random random = new Random(7);
        for (int trial = 0; trial < 2000; trial++) {
            int nl = random.nextInt(8);
            int nr = random.nextInt(8);
            double p = random.nextDouble();
            int[][] adj = new int[nl][];
            for (int u = 0; u < nl; u++) {
                adj[u] = java.util.stream.IntStream.range(0, nr).filter(v -> random.nextDouble() < p).toArray();
            }
            assertEquals(bruteForce(adj, 0, 0), PoreMetrics.maximumMatching(nl, nr, adj), "trial " + trial);
        }
    }

    private static int bruteForce(int[][] adj, int u, int usedRight) {
        if (u == adj.length) return 0;
        int best = bruteForce(adj, u + 1, usedRight);
        for (int v : adj[u]) {
            if ((usedRight & (1 << v)) == 0) best = Math.max(best, 1 + bruteForce(adj, u + 1, usedRight | 1 << v));
        }
        return best;
    }

    @Test
    void agreementUsesSampleStatistics() {
        Agreement a = Agreement.of(new double[]{1, 2, 3, 4});
        assertEquals(4, a.count());
        assertEquals(2.5, a.mean(), 1e-12);
        assertEquals(5 / 3.0, a.variance(), 1e-12);   // sum of squares 5, n - 1 = 3
        assertEquals(Math.sqrt(5 / 3.0), a.std(), 1e-12);
        assertEquals(1, a.min());
        assertEquals(4, a.max());
        assertEquals(0, Agreement.of(new double[]{0.9}).std());
        assertThrows(IllegalArgumentException.class, () -> Agreement.of(new double[0]));
    }
}
