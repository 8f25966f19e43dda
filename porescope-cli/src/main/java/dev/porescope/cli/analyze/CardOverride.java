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
        this(model, withPreprocessing(model.card(), preprocessing));
    }

    /** {@code model} under another card (e.g. {@link ModelCard#withThreshold}); the weights are the model's. */
    public CardOverride(SegmentationModel model, ModelCard card) {
        this.model = model;
        this.card = card;
    }

    private static ModelCard withPreprocessing(ModelCard c, Preprocessing preprocessing) {
        return new ModelCard(c.format(), c.name(), c.spec(), preprocessing, c.threshold(), c.minArea(),
                c.runtime(), c.precision(), c.dataDigest(), c.seed(), c.steps(), c.validation(), c.libraries(),
                c.golden(), c.extra());
    }

    @Override public Plane predict(Plane tile) { return model.predict(tile); }
    @Override public int margin() { return model.margin(); }
    @Override public int sizeMultiple() { return model.sizeMultiple(); }
    @Override public ModelCard card() { return card; }
    @Override public void close() { model.close(); }
}
