package dev.porescope.core.tile;

import dev.porescope.core.image.Mirror;
import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class TilerTest {

    /**
     * A two-level pure-Java "U-Net": 3x3 box, 2x2 max-pool, 3x3 box, 2x2 max-pool, 3x3 box, nearest
     * upsampling, sum. Borders clamp inside the tile, so tile edges change the result unless the
     * overlap covers the receptive field (10 px).
     */
    static class PoolingModel implements SegmentationModel {
        final int margin;
        final AtomicInteger calls = new AtomicInteger();

        PoolingModel(int margin) { this.margin = margin; }

        @Override
        public Plane predict(Plane tile) {
            calls.incrementAndGet();
            assertEquals(0, tile.width() % 4);
            assertEquals(0, tile.height() % 4);
            Plane a = box(tile);
            Plane b = box(pool(a));
            Plane c = box(pool(b));
            Plane out = new Plane(tile.width(), tile.height());
            for (int y = 0; y < tile.height(); y++) {
                for (int x = 0; x < tile.width(); x++) {
                    out.set(x, y, a.get(x, y) + b.get(x / 2, y / 2) + c.get(x / 4, y / 4));
                }
            }
            return out;
        }

        static Plane box(Plane p) {
            Plane out = new Plane(p.width(), p.height());
            for (int y = 0; y < p.height(); y++) {
                for (int x = 0; x < p.width(); x++) {
                    float s = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            s += p.get(Math.max(0, Math.min(p.width() - 1, x + dx)), Math.max(0, Math.min(p.height() - 1, y + dy)));
                        }
                    }
                    out.set(x, y, s / 9);
                }
            }
            return out;
        }

        static Plane pool(Plane p) {
            Plane out = new Plane(p.width() / 2, p.height() / 2);
            for (int y = 0; y < out.height(); y++) {
                for (int x = 0; x < out.width(); x++) {
                    out.set(x, y, Math.max(Math.max(p.get(2 * x, 2 * y), p.get(2 * x + 1, 2 * y)),
                            Math.max(p.get(2 * x, 2 * y + 1), p.get(2 * x + 1, 2 * y + 1))));
                }
            }
            return out;
        }

        @Override public int margin() { return margin; }
        @Override public int sizeMultiple() { return 4; }
        @Override public ModelCard card() { return null; }
    }

    private static Plane random(int w, int h, long seed) {
        Random r = new Random(seed);
        Plane p = new Plane(w, h);
        for (int i = 0; i < p.values().length; i++) p.values()[i] = r.nextFloat();
        return p;
    }

    /** Independent answer: mirror-pad by a lot, run the model once, crop. */
    private static Plane onMirrorPadded(SegmentationModel model, Plane in) {
        int pad = 32;
        int w = (in.width() + 2 * pad + 3) / 4 * 4;
        int h = (in.height() + 2 * pad + 3) / 4 * 4;
        Plane big = new Plane(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                big.set(x, y, in.get(Mirror.index(x - pad, in.width()), Mirror.index(y - pad, in.height())));
            }
        }
        return model.predict(big).crop(pad, pad, in.width(), in.height());
    }

    @Test
    void resultDoesNotDependOnTileSize() {
        PoolingModel model = new PoolingModel(10);
        for (int[] size : new int[][]{{77, 53}, {64, 64}, {5, 130}, {1, 1}}) {
            Plane in = random(size[0], size[1], size[0] * 31L + size[1]);
            Plane expected = onMirrorPadded(model, in);
            for (int tile : new int[]{32, 48, 64, 100_000}) {
                assertEquals(expected, new Tiler(tile).predict(model, in), "tile " + tile + " on " + in);
            }
            assertEquals(expected, new Tiler(48, 3).predict(model, in), "3 threads on " + in);
        }
    }

    @Test
    void tooSmallAMarginShowsInTheResult() {
        // guards the test above: the model really depends on neighbours beyond a 2 px overlap
        Plane in = random(77, 53, 9);
        PoolingModel honest = new PoolingModel(10);
        PoolingModel liar = new PoolingModel(2);
        assertNotEquals(new Tiler(100_000).predict(liar, in), new Tiler(16).predict(liar, in));
        assertEquals(onMirrorPadded(honest, in), new Tiler(100_000).predict(honest, in));
    }

    @Test
    void tilesCoverTheImageWithAlignedOrigins() {
        PoolingModel model = new PoolingModel(10);
        Tiler tiler = new Tiler(48);
        var tiles = tiler.tiles(model, 77, 53);
        boolean[] covered = new boolean[77 * 53];
        for (Tiler.Tile t : tiles) {
            assertEquals(0, Math.floorMod(t.x(), 4));
            assertEquals(0, Math.floorMod(t.y(), 4));
            assertTrue(t.width() <= 48 && t.height() <= 48);
            for (int y = t.coreY(); y < Math.min(53, t.coreY() + t.height() - 24); y++) {
                for (int x = t.coreX(); x < Math.min(77, t.coreX() + t.width() - 24); x++) {
                    assertFalse(covered[y * 77 + x], "pixel written twice");
                    covered[y * 77 + x] = true;
                }
            }
        }
        for (boolean c : covered) assertTrue(c);
        AtomicInteger last = new AtomicInteger();
        tiler.predict(model, random(77, 53, 1), last::set);
        assertEquals(tiles.size(), last.get());
    }

    @Test
    void tooSmallTilesAreRefusedWithTheMinimum() {
        PoolingModel model = new PoolingModel(10);
        assertEquals(28, Tiler.minimumTileSize(model));
        var e = assertThrows(IllegalArgumentException.class, () -> new Tiler(27).predict(model, random(40, 40, 1)));
        assertTrue(e.getMessage().contains("at least 28"), e.getMessage());
    }

    @Test
    void modelFailureReachesTheCaller() {
        SegmentationModel broken = new PoolingModel(0) {
            @Override public Plane predict(Plane tile) { throw new IllegalStateException("boom"); }
        };
        assertThrows(IllegalStateException.class, () -> new Tiler(16, 2).predict(broken, random(40, 40, 1)));
    }
}
