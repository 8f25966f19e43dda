package dev.porescope.cli.analyze;

import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.preprocess.Preprocessing;

/**
 * A model whose card says another preprocessing (from {@code --flatten-sigma} and friends): the
 * analyzer reads the preprocessing from the card, so the override travels the one path and is
 * recorded in the report's card too. Closing it closes the model.
 */
public final class CardOverride implements SegmentationModel {
    private final SegmentationModel model;
    private final ModelCard card;

    public CardOverride(SegmentationModel model, Preprocessing preprocessing) {
        this(model, model.card().withPreprocessing(preprocessing));
    }

    /** {@code model} under another card (e.g. {@link ModelCard#withThreshold}); the weights are the model's. */
    public CardOverride(SegmentationModel model, ModelCard card) {
        this.model = model;
        this.card = card;
    }

    @Override public Plane predict(Plane tile) { return model.predict(tile); }
    @Override public int margin() { return model.margin(); }
    @Override public int sizeMultiple() { return model.sizeMultiple(); }
    @Override public ModelCard card() { return card; }
    @Override public void close() { model.close(); }
}
