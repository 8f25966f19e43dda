package dev.porescope.core.eval;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.pipeline.PoreAnalyzer;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * Scores a model on labelled photos through the same {@link PoreAnalyzer} path every runtime uses,
 * so preprocessing, threshold and minimum pore area come from the model card.
 */
public final class Evaluator {
    private Evaluator() { }

    /** @param progress called with the number of photos done after each photo */
    public static EvalResult evaluate(SegmentationModel model, List<LabelledImage> images, IntConsumer progress) {
        return evaluate(new PoreAnalyzer(model), images, progress);
    }

    /** As {@link #evaluate(SegmentationModel, List, IntConsumer)} with a configured analyzer (tiles, threads). */
    public static EvalResult evaluate(PoreAnalyzer analyzer, List<LabelledImage> images, IntConsumer progress) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no labelled photos to evaluate on");
        }
        PooledScore score = new PooledScore();
        int done = 0;
        for (LabelledImage image : images) {
            score.add(image, analyzer.analyze(image.luma(), image.roi()).poreMask());
            progress.accept(++done);
        }
        var card = analyzer.card();
        return new EvalResult(card.name(), card.runtime(), card.threshold(), Math.max(1, card.minArea()),
                images.size(), score.pixel(), score.pores(), score.perImage());
    }
}
