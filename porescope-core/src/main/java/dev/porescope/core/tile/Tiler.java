package dev.porescope.core.tile;

import dev.porescope.core.image.Mirror;
import dev.porescope.core.image.Plane;
import dev.porescope.core.model.SegmentationModel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs a model over an image of any size in overlapping tiles and stitches the results exactly.
 *
 * <p>The result equals the model applied to the image extended without end by mirror reflection
 * (edge pixel not repeated, see {@link Mirror}), with the model's pooling grid anchored at the image
 * origin: every tile origin and side is a multiple of {@link SegmentationModel#sizeMultiple()}, each
 * tile carries a border of {@code pad} pixels ({@link SegmentationModel#margin()} rounded up to the
 * size multiple) on every side that is filled from the image or its mirror image, and only the tile's
 * core (without that border) is kept. So the result does not depend on the tile size.
 *
 * <p>Memory: the output plane plus one input tile and one output tile per worker thread.
 */
public final class Tiler {
    /** A tile side that suits most models: 512 px. */
    public static final int DEFAULT_TILE_SIZE = 512;

    private final int tileSize;
    private final int threads;

    /** Tiles of (at most) {@code tileSize x tileSize} model input pixels, run on the calling thread. */
    public Tiler(int tileSize) {
        this(tileSize, 1);
    }

    /** As {@link #Tiler(int)}, running tiles on {@code threads} threads (the caller is one of them). */
    public Tiler(int tileSize, int threads) {
        if (tileSize < 1) throw new IllegalArgumentException("tile size must be >= 1, got " + tileSize);
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.tileSize = tileSize;
        this.threads = threads;
    }

    public int tileSize() { return tileSize; }
    public int threads() { return threads; }

    /** Tile border actually used for {@code model}: its margin rounded up to its size multiple. */
    public static int pad(SegmentationModel model) {
        int m = sizeMultiple(model);
        int margin = Math.max(0, model.margin());
        return (margin + m - 1) / m * m;
    }

    /** Smallest tile size that leaves a core of one size multiple for {@code model}. */
    public static int minimumTileSize(SegmentationModel model) {
        return 2 * pad(model) + sizeMultiple(model);
    }

    private static int sizeMultiple(SegmentationModel model) {
        int m = model.sizeMultiple();
        if (m < 1) throw new IllegalArgumentException("model size multiple must be >= 1, got " + m);
        return m;
    }

    /** One tile: its origin in image coordinates (may be negative) and its model-input size. */
    public record Tile(int x, int y, int width, int height, int pad) {
        /** Core rectangle inside the image that this tile writes: x, y, width, height. */
        public int coreX() { return x + pad; }
        public int coreY() { return y + pad; }
    }

    /** The tiles {@link #predict} runs for an image of this size, in raster order. */
    public List<Tile> tiles(SegmentationModel model, int width, int height) {
        int m = sizeMultiple(model);
        int pad = pad(model);
        int tile = tileSize / m * m;
        int core = tile - 2 * pad;
        if (core < m) {
            throw new IllegalArgumentException("tile size " + tileSize + " is too small for model '"
                    + nameOf(model) + "' (margin " + model.margin() + ", size multiple " + m
                    + "); use at least " + minimumTileSize(model));
        }
        List<Tile> out = new ArrayList<>();
        for (int cy = 0; cy < height; cy += core) {
            int ch = roundUp(Math.min(core, height - cy), m);
            for (int cx = 0; cx < width; cx += core) {
                int cw = roundUp(Math.min(core, width - cx), m);
                out.add(new Tile(cx - pad, cy - pad, cw + 2 * pad, ch + 2 * pad, pad));
            }
        }
        return out;
    }

    private static String nameOf(SegmentationModel model) {
        return model.card() == null ? model.getClass().getSimpleName() : model.card().name();
    }

    private static int roundUp(int v, int m) {
        return (v + m - 1) / m * m;
    }

    /** Pore probability for every pixel of {@code input} (already preprocessed). */
    public Plane predict(SegmentationModel model, Plane input) {
        return predict(model, input, done -> { });
    }

    /**
     * As {@link #predict(SegmentationModel, Plane)}, calling {@code tilesDone} with the number of
     * finished tiles after each tile (from the worker threads; see {@link #tiles} for the total).
     */
    public Plane predict(SegmentationModel model, Plane input, IntConsumer tilesDone) {
        List<Tile> tiles = tiles(model, input.width(), input.height());
        Plane output = new Plane(input.width(), input.height());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            int i;
            while (failure.get() == null && (i = next.getAndIncrement()) < tiles.size()) {
                try {
                    runTile(model, input, output, tiles.get(i));
                    tilesDone.accept(done.incrementAndGet());
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }
        };
        int helpers = Math.min(threads, tiles.size()) - 1;
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < helpers; t++) {
            Thread thread = new Thread(worker, "porescope-tile-" + t);
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        worker.run();
        for (Thread thread : started) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, e);
            }
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException("tiled prediction interrupted", t);
        return output;
    }

    private static void runTile(SegmentationModel model, Plane input, Plane output, Tile tile) {
        int w = input.width();
        int h = input.height();
        float[] in = input.values();
        Plane patch = new Plane(tile.width(), tile.height());
        float[] p = patch.values();
        int[] cols = new int[tile.width()];
        for (int i = 0; i < cols.length; i++) cols[i] = Mirror.index(tile.x() + i, w);
        for (int j = 0; j < tile.height(); j++) {
            int row = Mirror.index(tile.y() + j, h) * w;
            int base = j * tile.width();
            for (int i = 0; i < cols.length; i++) p[base + i] = in[row + cols[i]];
        }
        Plane result = model.predict(patch);
        if (!result.sameSize(tile.width(), tile.height())) {
            throw new IllegalStateException("model '" + nameOf(model) + "' returned " + result.width() + "x"
                    + result.height() + " for a " + tile.width() + "x" + tile.height() + " tile");
        }
        float[] r = result.values();
        float[] out = output.values();
        int pad = tile.pad();
        int x0 = tile.coreX();
        int y0 = tile.coreY();
        int cw = Math.min(tile.width() - 2 * pad, w - x0);
        int ch = Math.min(tile.height() - 2 * pad, h - y0);
        for (int j = 0; j < ch; j++) {
            System.arraycopy(r, (j + pad) * tile.width() + pad, out, (y0 + j) * w + x0, cw);
        }
    }
}
