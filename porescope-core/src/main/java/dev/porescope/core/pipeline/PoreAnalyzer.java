package dev.porescope.core.pipeline;

import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.pores.Pore;
import dev.porescope.core.pores.PoreExtractor;
import dev.porescope.core.pores.PoreResult;
import dev.porescope.core.pores.PoreSummary;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.tile.Tiler;

import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * The one path from a luma photo to pores, shared by every runtime (server, PyTorch Mobile, ONNX,
 * Android): the card's preprocessing over the whole photo, the model over exact overlapping tiles,
 * then thresholding and pore extraction with the card's threshold and minimum area.
 * Immutable; {@code with...} return configured copies. Callers that time the stages or show
 * progress listen ({@link Listener}) instead of running the stages themselves.
 */
public final class PoreAnalyzer {
    private final SegmentationModel model;
    private final int tileSize;
    private final int threads;
    private final Double pixelSizeUm;
    private final int maxArea;
    private final int maxTileSize;

    /** Tiles chosen per photo ({@link #tileSizeFor}), one thread. */
    public PoreAnalyzer(SegmentationModel model) {
        this(model, AUTO, 1, null, Integer.MAX_VALUE, Tiler.DEFAULT_TILE_SIZE);
    }

    /** Tile size meaning "choose per photo". */
    private static final int AUTO = 0;

    private PoreAnalyzer(SegmentationModel model, int tileSize, int threads, Double pixelSizeUm, int maxArea, int maxTileSize) {
        if (model.card() == null) {
            throw new IllegalArgumentException("model " + model.getClass().getSimpleName() + " has no model card");
        }
        this.model = model;
        this.tileSize = tileSize;
        this.threads = threads;
        this.pixelSizeUm = pixelSizeUm;
        this.maxArea = maxArea;
        this.maxTileSize = maxTileSize;
    }

    private static int defaultTileSize(SegmentationModel model) {
        return Math.max(Tiler.DEFAULT_TILE_SIZE, 4 * Tiler.pad(model) + model.sizeMultiple());
    }

    /**
     * The tile side used for a photo of this size: the one given to {@link #withTileSize}, or else,
     * from {@link Tiler#DEFAULT_TILE_SIZE} (more for a model with a large margin) up to
     * {@link #withMaxTileSize the largest allowed} in steps of 64 px, the side whose tiles hold the
     * fewest model-input pixels (the smaller side on a tie): the borders the model needs around each
     * tile's core are computed twice, 1.5x the photo's pixels at 512 px for a 48 px margin and 1.27x
     * at 896 px for 4000x3000. The result does not depend on the tile size (see {@link Tiler}); the
     * time and the runtime's memory do.
     */
    public int tileSizeFor(int width, int height) {
        if (tileSize != AUTO) return tileSize;
        int smallest = defaultTileSize(model);
        int best = smallest;
        long bestPixels = Long.MAX_VALUE;
        for (int side = smallest; side <= Math.max(smallest, maxTileSize); side += 64) {
            long pixels = 0;
            for (Tiler.Tile t : new Tiler(side).tiles(model, width, height)) pixels += (long) t.width() * t.height();
            if (pixels < bestPixels) {
                bestPixels = pixels;
                best = side;
            }
        }
        return best;
    }

    public PoreAnalyzer withTileSize(int newTileSize) {
        return new PoreAnalyzer(model, newTileSize, threads, pixelSizeUm, maxArea, maxTileSize);
    }

    public PoreAnalyzer withThreads(int newThreads) {
        return new PoreAnalyzer(model, tileSize, newThreads, pixelSizeUm, maxArea, maxTileSize);
    }

    /**
     * Largest tile side chosen per photo (default {@link Tiler#DEFAULT_TILE_SIZE}: larger tiles need
     * fewer border pixels but more runtime memory; a 12 MP photo with 1024 px tiles took 1.09 GB
     * resident against 0.79 GB with 512 px tiles, README "Speed of a whole photo").
     */
    public PoreAnalyzer withMaxTileSize(int newMaxTileSize) {
        return new PoreAnalyzer(model, tileSize, threads, pixelSizeUm, maxArea, newMaxTileSize);
    }

    /** Pixel side in micrometres for the summary (areas in um^2, pores per cm^2); null = pixels only. */
    public PoreAnalyzer withPixelSizeUm(Double newPixelSizeUm) {
        return new PoreAnalyzer(model, tileSize, threads, newPixelSizeUm, maxArea, maxTileSize);
    }

    /** Largest pore kept, px (default: no limit). */
    public PoreAnalyzer withMaxArea(int newMaxArea) {
        return new PoreAnalyzer(model, tileSize, threads, pixelSizeUm, newMaxArea, maxTileSize);
    }

    public SegmentationModel model() { return model; }
    public ModelCard card() { return model.card(); }
    /** The tile side given to {@link #withTileSize}, or 0 when it is chosen per photo ({@link #tileSizeFor}). */
    public int tileSize() { return tileSize; }
    public int threads() { return threads; }

    /** The card's preprocessing ({@link Preprocessing#identity()} when the card has none). */
    public Preprocessing preprocessing() {
        Preprocessing p = model.card().preprocessing();
        return p == null ? Preprocessing.identity() : p;
    }

    /** What the extractor does with the probability: the card's threshold and minimum area. */
    public PoreExtractor extractor() {
        return extractor(model.card().threshold());
    }

    /** The stages of {@link #analyze}, in order. */
    public enum Stage {
        /** the card's preprocessing over the whole photo */
        PREPROCESS,
        /** the model over tiles: pore probability */
        MODEL,
        /** thresholding, components, measurements and the summary */
        PORES;

        /** Lower-case name, as in timings ("preprocess", "model", "pores"). */
        public String label() { return name().toLowerCase(Locale.ROOT); }
    }

    /** Hears {@link #analyze} as it goes: stage times for a report, tiles for a progress bar. */
    public interface Listener {
        /** Hears nothing. */
        Listener NONE = new Listener() { };

        /** {@code stage} finished after {@code nanos} of wall time (on the calling thread). */
        default void stageDone(Stage stage, long nanos) { }

        /** {@code done} of {@code total} model tiles are finished (called from the tile threads). */
        default void tilesDone(int done, int total) { }
    }

    /** The model input of a photo: the card's preprocessing over the whole photo. */
    public Plane preprocess(Plane luma) {
        return preprocessing().apply(luma);
    }

    /** Pore probability of every pixel of the photo. */
    public Plane probability(Plane luma) {
        return predict(preprocess(luma), Listener.NONE);
    }

    /** The tiles the model stage runs for a photo of this size (for a progress bar's total). */
    public int tileCount(int width, int height) {
        return tiler(width, height).tiles(model, width, height).size();
    }

    /** The model stage alone: pore probability of an already {@link #preprocess preprocessed} photo, tile by tile. */
    public Plane predict(Plane input, Listener listener) {
        Tiler tiler = tiler(input.width(), input.height());
        int total = tiler.tiles(model, input.width(), input.height()).size();
        IntConsumer tilesDone = done -> listener.tilesDone(done, total);
        return tiler.predict(model, input, tilesDone);
    }

    private Tiler tiler(int width, int height) {
        return new Tiler(tileSizeFor(width, height), threads);
    }

    /** Pore extraction at another threshold (the card's minimum area), for threshold sweeps over one probability. */
    public PoreExtractor extractor(double threshold) {
        return new PoreExtractor(threshold, Math.max(1, model.card().minArea()), maxArea);
    }

    /** The summary of {@code pores} found in {@code region}, in micrometres when a pixel size is set. */
    public PoreSummary summarize(List<Pore> pores, Mask region) {
        return PoreSummary.of(pores, region, pixelSizeUm);
    }

    /**
     * Pores of one photo.
     *
     * @param roi where to look for pores; null = the whole photo
     */
    public Analysis analyze(Plane luma, Mask roi) {
        return analyze(luma, roi, Listener.NONE);
    }

    /**
     * As {@link #analyze(Plane, Mask)}, telling {@code listener} when each {@link Stage} is done and
     * how many tiles are finished. The preprocessed input is dropped as soon as the model has run.
     */
    public Analysis analyze(Plane luma, Mask roi, Listener listener) {
        Mask region = roi == null ? Mask.full(luma.width(), luma.height()) : roi;
        long start = System.nanoTime();
        Plane input = preprocess(luma);
        long preprocessed = System.nanoTime();
        listener.stageDone(Stage.PREPROCESS, preprocessed - start);
        Plane probability = predict(input, listener);
        input = null; // 4 bytes a pixel less while the pores are measured
        long predicted = System.nanoTime();
        listener.stageDone(Stage.MODEL, predicted - preprocessed);
        PoreResult result = extractor().extract(probability, luma, region);
        PoreSummary summary = summarize(result.pores(), region);
        listener.stageDone(Stage.PORES, System.nanoTime() - predicted);
        return new Analysis(probability, result.poreMask(), result.pores(), summary);
    }

    /**
     * Everything found in one photo.
     *
     * @param probability pore probability per pixel
     * @param poreMask    pixels of the kept pores
     * @param pores       measured pores
     * @param summary     counts, density, areas
     */
    public record Analysis(Plane probability, Mask poreMask, List<Pore> pores, PoreSummary summary) { }
}
