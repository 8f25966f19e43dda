package dev.porescope.core.model;

import dev.porescope.core.image.Plane;

/**
 * The one seam between pure Java and a model runtime (DoG baseline, libtorch, PyTorch Mobile,
 * ONNX Runtime). Input is a preprocessed luma tile, output the pore probability of each of its
 * pixels. Tiling, thresholding and pore extraction live above this seam and are shared by all
 * runtimes.
 */
public interface SegmentationModel extends AutoCloseable {

    /**
     * Pore probability in [0, 1] for every pixel of {@code tile}; the result has the tile's size.
     * The tile's width and height are multiples of {@link #sizeMultiple()}.
     * Implementations are safe to call from several threads at once.
     */
    Plane predict(Plane tile);

    /**
     * Pixels of context on each side that an output pixel depends on (receptive-field radius);
     * tiles overlap by at least this much so that stitching is exact.
     */
    int margin();

    /** Tile sides and tile origins must be multiples of this (2^(levels-1) for a U-Net). */
    default int sizeMultiple() { return 1; }

    /** The card describing this model (spec, preprocessing, threshold, provenance). */
    ModelCard card();

    /** Releases native resources; a no-op for pure-Java models. */
    @Override
    default void close() { }

    /**
     * {@code model} with another card (e.g. a {@code --threshold} or preprocessing option of a command):
     * the analyzer reads its settings from the card, so an override travels the one path and is recorded
     * wherever the card is. The model file keeps its own card. Closing it closes {@code model}.
     */
    static SegmentationModel withCard(SegmentationModel model, ModelCard card) {
        return new SegmentationModel() {
            @Override public Plane predict(Plane tile) { return model.predict(tile); }
            @Override public int margin() { return model.margin(); }
            @Override public int sizeMultiple() { return model.sizeMultiple(); }
            @Override public ModelCard card() { return card; }
            @Override public void close() { model.close(); }
        };
    }

    /** {@code model} with decision threshold {@code threshold} in its card (see {@link #withCard}). */
    static SegmentationModel withThreshold(SegmentationModel model, double threshold) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be between 0 and 1 (exclusive), got " + threshold);
        }
        return withCard(model, model.card().withThreshold(threshold));
    }
}
