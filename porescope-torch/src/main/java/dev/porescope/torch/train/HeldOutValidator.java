package dev.porescope.torch.train;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Plane;
import dev.porescope.core.eval.PooledScore;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.pores.PoreExtractor;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.pipeline.PoreAnalyzer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation on whole held-out photos, the way a model is used: the card's preprocessing over the
 * whole photo, exact tiling, pore extraction inside the ROI; pooled pixel Dice and pore F1. The
 * decision threshold is chosen here, on these photos, as the one with the best mean of the two.
 */
public final class HeldOutValidator implements Validator {
    /** Thresholds tried. */
    static final double[] THRESHOLDS = {0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75,
        0.8, 0.85, 0.9, 0.95};

    /** The thresholds tried, in order (a copy). */
    public static double[] thresholds() {
        return THRESHOLDS.clone();
    }

    private final List<LabelledImage> photos;
    private final List<Plane> inputs = new ArrayList<>();
    private final int minArea;

    public HeldOutValidator(List<LabelledImage> photos, Preprocessing preprocessing, int minArea) {
        if (photos.isEmpty()) throw new IllegalArgumentException("no validation photos");
        this.photos = List.copyOf(photos);
        this.minArea = minArea;
        for (LabelledImage p : photos) {
            inputs.add(preprocessing.apply(p.luma())); // the model changes, its input does not
        }
    }

    public List<LabelledImage> photos() { return photos; }

    @Override
    public Result validate(SegmentationModel model) {
        Result best = null;
        for (Result r : scores(model)) {
            if (best == null || r.score() > best.score()) best = r;
        }
        return best;
    }

    /** The scores at every threshold of {@link #THRESHOLDS}, in that order (the network runs once). */
    public List<Result> scores(SegmentationModel model) {
        List<Plane> probabilities = new ArrayList<>();
        // PoreAnalyzer's model stage on the inputs preprocessed once above
        PoreAnalyzer analyzer = new PoreAnalyzer(model);
        for (Plane input : inputs) {
            probabilities.add(analyzer.predict(input, PoreAnalyzer.Listener.NONE));
        }
        List<Result> all = new ArrayList<>();
        for (double t : THRESHOLDS) {
            PooledScore score = new PooledScore();
            PoreExtractor extractor = new PoreExtractor(t, Math.max(1, minArea));
            for (int i = 0; i < photos.size(); i++) {
                LabelledImage photo = photos.get(i);
                score.add(photo, extractor.extract(probabilities.get(i), photo.luma(), photo.roi()).poreMask());
            }
            Map<String, Double> m = new LinkedHashMap<>(score.metrics());
            m.put("threshold", t);
            all.add(new Result(score.pixel().dice(), score.pores().f1(), t, m));
        }
        return all;
    }
}
