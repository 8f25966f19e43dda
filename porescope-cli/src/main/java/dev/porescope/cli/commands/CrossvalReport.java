package dev.porescope.cli.commands;

import dev.porescope.cli.support.Progress;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.eval.EvalResult;
import dev.porescope.core.io.AtomicFiles;
import dev.porescope.core.json.Json;
import dev.porescope.core.modelfile.ModelFileException;
import dev.porescope.torch.nativ.TorchException;
import dev.porescope.torch.train.CrossValidation;
import dev.porescope.torch.train.Folds;
import dev.porescope.torch.train.HeldOutValidator;
import dev.porescope.torch.train.TrainConfig;
import dev.porescope.torch.train.Trainer;
import dev.porescope.torch.train.TrainingException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** {@code porescope train --folds K}: cross-validates the recipe and reports per fold and mean +- std. */
final class CrossvalReport {
    private CrossvalReport() { }

    /** The columns of the table: name, value of a fold. */
    private static final Map<String, ToDoubleFunction<EvalResult>> COLUMNS = new LinkedHashMap<>();

    static {
        COLUMNS.put("pixel_dice", r -> r.pixel().dice());
        COLUMNS.put("pixel_precision", r -> r.pixel().precision());
        COLUMNS.put("pixel_recall", r -> r.pixel().recall());
        COLUMNS.put("pore_f1", r -> r.pores().f1());
        COLUMNS.put("pore_precision", r -> r.pores().precision());
        COLUMNS.put("pore_recall", r -> r.pores().recall());
    }

    static int run(TrainConfig config, List<LabelledImage> photos, int k, Path init, List<Path> data,
                   PrintWriter out, PrintWriter err) {
        Folds folds;
        try {
            folds = Folds.of(photos, k, config.spec().margin());
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        err.printf(Locale.ROOT, "porescope: %d-fold cross-validation of %s, %d steps per fold, gap %d px between training"
                + " and test rows%n", k, config.spec().name(), config.steps(), config.spec().margin());
        long start = System.nanoTime();
        CrossValidation.Result result;
        List<Progress> bars = new ArrayList<>();
        try {
            result = CrossValidation.run(config, folds, init, fold -> {
                Progress bar = Progress.start("fold " + fold + "/" + k, config.steps(), System.err);
                bars.add(bar);
                return new Trainer.Listener() {
                    @Override
                    public void step(Trainer.StepInfo info) {
                        bar.stepTo(info.step());
                        if (info.step() == info.steps()) bar.close();
                    }
                };
            });
        } catch (TrainingException | ModelFileException e) {
            throw new UserException(e.getMessage(), e);
        } catch (TorchException e) {
            throw new UserException("libtorch failed: " + e.getMessage() + " (rerun with --debug for libtorch's whole message)", e);
        } finally {
            bars.forEach(Progress::close);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String md = markdown(config, result, data);
        out.print(md);
        Path json = config.sibling(".crossval.json");
        Path mdFile = config.sibling(".crossval.md");
        String text = Json.write(report(config, result, init, data, seconds), true);
        AtomicFiles.writeString(json, text + "\n");
        AtomicFiles.writeString(mdFile, md);
        out.println("wrote " + json + ", " + mdFile + " and the fold models " + config.sibling("-fold1.pt") + " ...");
        out.flush();
        return 0;
    }

    static String markdown(TrainConfig config, CrossValidation.Result result, List<Path> data) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%d-fold spatial cross-validation: spec %s, %d steps, preprocessing %s, data %s%n%n",
                result.folds().size(), config.spec().name(), config.steps(), describe(config), data));
        b.append("| fold | labelled pores | threshold | pixel Dice | pixel precision | pixel recall | pore F1 | pore precision | pore recall |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CrossValidation.FoldResult f : result.folds()) {
            b.append(String.format(Locale.ROOT, "| %d | %d | %.2f |", f.fold(), f.labelled(), f.threshold()));
            for (ToDoubleFunction<EvalResult> c : COLUMNS.values()) {
                b.append(String.format(Locale.ROOT, " %.3f |", c.applyAsDouble(f.result())));
            }
            b.append('\n');
        }
        b.append("| mean +- std | | |");
        for (ToDoubleFunction<EvalResult> c : COLUMNS.values()) {
            double[] ms = meanStd(result, c);
            b.append(String.format(Locale.ROOT, " %.3f +- %.3f |", ms[0], ms[1]));
        }
        b.append(String.format(Locale.ROOT, "%n%nEach fold is scored at the threshold best on the other folds; the"
                + " cross-validated threshold (best on all folds) is %.2f. std: sample standard deviation over folds.%n",
                result.threshold()));
        return b.toString();
    }

    private static String describe(TrainConfig c) {
        var p = c.preprocessing();
        return "flatten " + p.flattenSigma() + ", normalize " + p.normalize()
                + (p.isLocal() ? " sigma " + p.normalizeSigma() : "")
                + (c.scaleJitter() > 0 ? ", scale jitter " + c.scaleJitter() : "")
                + (c.syntheticCount() > 0 ? ", " + c.syntheticCount() + " synthetic at share " + c.syntheticShare() : "");
    }

    /** Mean and sample standard deviation over folds. */
    static double[] meanStd(CrossValidation.Result result, ToDoubleFunction<EvalResult> c) {
        int n = result.folds().size();
        double sum = 0;
        for (CrossValidation.FoldResult f : result.folds()) sum += c.applyAsDouble(f.result());
        double mean = sum / n;
        double ss = 0;
        for (CrossValidation.FoldResult f : result.folds()) {
            double d = c.applyAsDouble(f.result()) - mean;
            ss += d * d;
        }
        return new double[]{mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0};
    }

    private static Map<String, Object> report(TrainConfig config, CrossValidation.Result result, Path init,
                                              List<Path> data, double seconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("folds", result.folds().size());
        r.put("spec", config.spec().name());
        r.put("steps", config.steps());
        r.put("preprocessing", config.preprocessing());
        r.put("scale_jitter", config.scaleJitter());
        r.put("synthetic", config.syntheticCount());
        r.put("synthetic_share", config.syntheticShare());
        r.put("seed", config.seed());
        r.put("init", init == null ? null : init.toString());
        r.put("data", data.stream().map(Path::toString).toList());
        r.put("gap_px", config.spec().margin());
        r.put("threshold", result.threshold());
        Map<String, Double> byThreshold = new LinkedHashMap<>();
        for (int t = 0; t < HeldOutValidator.thresholds().length; t++) {
            byThreshold.put(String.format(Locale.ROOT, "%.2f", HeldOutValidator.thresholds()[t]), result.meanScoreByThreshold()[t]);
        }
        r.put("mean_score_by_threshold", byThreshold);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CrossValidation.FoldResult f : result.folds()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("fold", f.fold());
            row.put("threshold", f.threshold());
            row.put("labelled_pores", f.labelled());
            for (Map.Entry<String, ToDoubleFunction<EvalResult>> c : COLUMNS.entrySet()) {
                row.put(c.getKey(), c.getValue().applyAsDouble(f.result()));
            }
            rows.add(row);
        }
        r.put("per_fold", rows);
        Map<String, Object> summary = new LinkedHashMap<>();
        for (Map.Entry<String, ToDoubleFunction<EvalResult>> c : COLUMNS.entrySet()) {
            double[] ms = meanStd(result, c.getValue());
            summary.put(c.getKey(), Map.of("mean", ms[0], "std", ms[1]));
        }
        r.put("mean_std", summary);
        r.put("seconds", seconds);
        return r;
    }
}
