package dev.porescope.torch.train;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.eval.EvalResult;
import dev.porescope.core.eval.Evaluator;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.torch.UNetModule;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * K-fold spatial cross-validation of a training recipe ({@link Folds}): for each fold, train on the
 * others (no validation: the last step's model, so nothing about the test fold picks a checkpoint),
 * then score the test fold with {@link Evaluator}, the path {@code porescope eval} takes.
 *
 * <p>Thresholds: each fold's probabilities are scored at every threshold of
 * {@link HeldOutValidator#THRESHOLDS}. Fold j is reported at the threshold that is best on the
 * <em>other</em> folds (mean of pixel Dice and pore F1), so its score never saw its own labels; the
 * cross-validated threshold, the one to ship, is the best on all folds together.
 */
public final class CrossValidation {

    /**
     * @param fold      1-based
     * @param threshold threshold chosen on the other folds
     * @param result    scores of the test fold at that threshold
     * @param labelled  labelled pores in the test fold
     */
    public record FoldResult(int fold, double threshold, EvalResult result, long labelled) { }

    /**
     * @param folds               per fold
     * @param threshold           the cross-validated threshold (best mean score over all folds)
     * @param meanScoreByThreshold per threshold of {@link HeldOutValidator#THRESHOLDS}, mean over folds of (Dice + F1) / 2
     */
    public record Result(List<FoldResult> folds, double threshold, double[] meanScoreByThreshold) { }

    private CrossValidation() { }

    /**
     * @param config   the recipe; its {@code out} names the fold models ({@code NAME-fold1.pt} ...)
     * @param folds    the split
     * @param init     model to fine-tune from in every fold, or null; when the folds have no training
     *                 pieces ({@code --train-folds 0}) the model every fold scores as it is
     * @param listener per fold (1-based), progress of its training
     */
    public static Result run(TrainConfig config, Folds folds, Path init, IntFunction<Trainer.Listener> listener) {
        int k = folds.count();
        double[] thresholds = HeldOutValidator.THRESHOLDS;
        double[][] scores = new double[k][];
        Path[] models = new Path[k];
        for (int j = 0; j < k; j++) {
            if (folds.training().get(j).isEmpty()) {
                if (init == null) throw new IllegalArgumentException("fold " + (j + 1) + " has nothing to train on and no model to score");
                models[j] = init;
                scores[j] = scores(init, folds.test().get(j), config);
                continue;
            }
            Path out = config.sibling("-fold" + (j + 1) + ".pt");
            TrainConfig foldConfig = config.withName(config.name(), config.threads(), out);
            Trainer trainer = new Trainer(foldConfig, folds.training().get(j), null);
            if (init != null) trainer.initFrom(init);
            trainer.run(false, listener.apply(j + 1));
            models[j] = out;
            scores[j] = scores(out, folds.test().get(j), config);
        }
        double[] mean = new double[thresholds.length];
        for (int t = 0; t < thresholds.length; t++) {
            for (int j = 0; j < k; j++) mean[t] += scores[j][t] / k;
        }
        List<FoldResult> results = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            double t = thresholds[bestExcept(scores, j)];
            List<LabelledImage> test = folds.test().get(j);
            try (UNetModule module = UNetModule.load(models[j])) {
                module.train(false);
                SegmentationModel model = SegmentationModel.withThreshold(module.asSegmentationModel(module.card()), t);
                EvalResult r = Evaluator.evaluate(model, test, done -> { });
                results.add(new FoldResult(j + 1, t, r, r.pores().tp() + r.pores().fn()));
            }
        }
        return new Result(List.copyOf(results), thresholds[bestExcept(scores, -1)], mean);
    }

    /** Score of a model file on a test fold at every threshold of {@link HeldOutValidator#THRESHOLDS}. */
    private static double[] scores(Path model, List<LabelledImage> test, TrainConfig config) {
        try (UNetModule module = UNetModule.load(model)) {
            module.train(false);
            HeldOutValidator scorer = new HeldOutValidator(test, module.card().preprocessing(), config.minArea());
            List<Validator.Result> byThreshold = scorer.scores(module.asSegmentationModel(module.card()));
            return byThreshold.stream().mapToDouble(Validator.Result::score).toArray();
        }
    }

    /** Index of the threshold with the best mean score over the folds other than {@code skip} (all when -1 or k = 1). */
    static int bestExcept(double[][] scores, int skip) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < scores[0].length; t++) {
            double sum = 0;
            int n = 0;
            for (int j = 0; j < scores.length; j++) {
                if (j == skip && scores.length > 1) continue;
                sum += scores[j][t];
                n++;
            }
            if (sum / n > bestScore) {
                bestScore = sum / n;
                best = t;
            }
        }
        return best;
    }
}
