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
import java.util.function.IntConsumer;

/**
 * The one path from a luma photo to pores, shared by every runtime (server, PyTorch Mobile, ONNX,
 * Android): the card's preprocessing over the whole photo, the model over exact overlapping tiles,
 * then thresholding and pore extraction with the card's threshold and minimum area.
 * Immutable; {@code with...} return configured copies.
 */
public final class PoreAnalyzer {
    private final SegmentationModel model;
    private final int tileSize;
    private final int threads;
    private final Double pixelSizeUm;
    private final int maxArea;

    /** Default tiles ({@link Tiler#DEFAULT_TILE_SIZE}, grown for models with a large margin), one thread. */
    public PoreAnalyzer(SegmentationModel model) {
        this(model, defaultTileSize(model), 1, null, Integer.MAX_VALUE);
    }

    private PoreAnalyzer(SegmentationModel model, int tileSize, int threads, Double pixelSizeUm, int maxArea) {
        if (model.card() == null) {
            throw new IllegalArgumentException("model " + model.getClass().getSimpleName() + " has no model card");
        }
        this.model = model;
        this.tileSize = tileSize;
        this.threads = threads;
        this.pixelSizeUm = pixelSizeUm;
        this.maxArea = maxArea;
    }

    private static int defaultTileSize(SegmentationModel model) {
        return Math.max(Tiler.DEFAULT_TILE_SIZE, 4 * Tiler.pad(model) + model.sizeMultiple());
    }

    public PoreAnalyzer withTileSize(int newTileSize) {
        return new PoreAnalyzer(model, newTileSize, threads, pixelSizeUm, maxArea);
    }

    public PoreAnalyzer withThreads(int newThreads) {
        return new PoreAnalyzer(model, tileSize, newThreads, pixelSizeUm, maxArea);
    }

    /** Pixel side in micrometres for the summary (areas in um^2, pores per cm^2); null = pixels only. */
    public PoreAnalyzer withPixelSizeUm(Double newPixelSizeUm) {
        return new PoreAnalyzer(model, tileSize, threads, newPixelSizeUm, maxArea);
    }

    /** Largest pore kept, px (default: no limit). */
    public PoreAnalyzer withMaxArea(int newMaxArea) {
        return new PoreAnalyzer(model, tileSize, threads, pixelSizeUm, newMaxArea);
    }

    public SegmentationModel model() { return model; }
    public ModelCard card() { return model.card(); }
    public int tileSize() { return tileSize; }
    public int threads() { return threads; }

    /** The card's preprocessing ({@link Preprocessing#identity()} when the card has none). */
    public Preprocessing preprocessing() {
        Preprocessing p = model.card().preprocessing();
        return p == null ? Preprocessing.identity() : p;
    }

    /** What the extractor does with the probability: the card's threshold and minimum area. */
    public PoreExtractor extractor() {
        return new PoreExtractor(model.card().threshold(), Math.max(1, model.card().minArea()), maxArea);
    }

    /** Pore probability of every pixel of the photo. */
    public Plane probability(Plane luma) {
        return probability(luma, done -> { });
    }

    /** As {@link #probability(Plane)}, reporting finished tiles (see {@link Tiler#tiles}). */
    public Plane probability(Plane luma, IntConsumer tilesDone) {
        return predict(preprocessing().apply(luma), tilesDone);
    }

    /** The model stage alone: pore probability of an already preprocessed photo, tile by tile. */
    public Plane predict(Plane input, IntConsumer tilesDone) {
        return new Tiler(tileSize, threads).predict(model, input, tilesDone);
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
        Mask region = roi == null ? Mask.full(luma.width(), luma.height()) : roi;
        Plane probability = probability(luma);
        PoreResult result = extractor().extract(probability, luma, region);
        PoreSummary summary = summarize(result.pores(), region);
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
