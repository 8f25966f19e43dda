package dev.porescope.cli.commands;

import dev.porescope.cli.io.DataFolder;
import dev.porescope.cli.io.FileRoles;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.io.ImageOptions;
import dev.porescope.cli.models.ModelLoader;
import dev.porescope.cli.support.Progress;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.eval.EvalResult;
import dev.porescope.core.eval.Evaluator;
import dev.porescope.core.io.AtomicFiles;
import dev.porescope.core.json.Json;
import dev.porescope.core.metrics.PixelMetrics;
import dev.porescope.core.metrics.PoreMetrics;
import dev.porescope.core.model.SegmentationModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code porescope eval}: scores a model on labelled data folders. */
@Command(name = "eval", sortOptions = false,
        description = "Score a model on labelled data folders: pooled pixel Dice, IoU, precision, recall"
                + " and pore precision/recall/F1, inside each photo's ROI.")
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "dog (difference-of-Gaussians baseline), dog-fit (DoG fitted on the data first), or a model file.")
    String model;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Data folder: images/NAME.png|jpg, masks/NAME.png (255 = pore), optional roi/NAME.png. Repeatable.")
    List<Path> data;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the scores, with one row per photo, as JSON.")
    Path json;

    @Option(names = "--fit", description = "Fit the DoG's sigmas, threshold and minimum pore area on the data before scoring"
            + " (same as --model dog-fit; the scores are then on the data it was fitted on).")
    boolean fit;

    @Option(names = "--threshold", paramLabel = "T",
            description = "Decision threshold on the pore probability, instead of the model card's (which the file keeps).")
    Double threshold;

    @Mixin
    ImageOptions images;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        new FileRoles().input("--model", Path.of(model)).output("--json", json).check(spec);
        String modelName = fit ? fitName(model) : model;
        ModelLoader.check(modelName);
        ImageFiles files = images.files();
        List<LabelledImage> photos = new ArrayList<>();
        List<Path> folderOf = new ArrayList<>();
        for (Path dir : data) {
            for (LabelledImage image : DataFolder.load(dir, files)) {
                photos.add(image);
                folderOf.add(dir);
            }
        }
        long start = System.nanoTime();
        EvalResult result;
        try (SegmentationModel segmentation = Thresholds.apply(ModelLoader.load(modelName, () -> photos), threshold);
             Progress progress = Progress.start("eval", photos.size(), System.err)) {
            result = Evaluator.evaluate(segmentation, photos, progress::stepTo);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        printTable(out, modelName, result);
        if (json != null) {
            String text = Json.write(report(modelName, result, folderOf, seconds), true);
            AtomicFiles.write(json, tmp -> Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8));
            err.println("porescope: wrote " + json);
        }
        out.flush();
        return 0;
    }

    private void printTable(PrintWriter out, String modelName, EvalResult r) {
        PixelMetrics p = r.pixel();
        PoreMetrics q = r.pores();
        out.printf(Locale.ROOT, "model %s (runtime %s, threshold %.3f, min pore area %d px) on %d photo%s from %s, inside the ROI%n",
                modelName, r.runtime(), r.threshold(), r.minArea(), r.images(), r.images() == 1 ? "" : "s",
                String.join(", ", data.stream().map(Path::toString).toList()));
        out.printf(Locale.ROOT, "%-8s %7s %7s %10s %7s %7s%n", "", "Dice", "IoU", "precision", "recall", "F1");
        out.printf(Locale.ROOT, "%-8s %7.3f %7.3f %10.3f %7.3f %7s%n", "pixels", p.dice(), p.iou(), p.precision(), p.recall(), "-");
        out.printf(Locale.ROOT, "%-8s %7s %7s %10.3f %7.3f %7.3f%n", "pores", "-", "-", q.precision(), q.recall(), q.f1());
        out.printf(Locale.ROOT, "pores found %d, labelled %d, matched %d%n", q.tp() + q.fp(), q.tp() + q.fn(), q.tp());
    }

    private Map<String, Object> report(String modelName, EvalResult r, List<Path> folderOf, double seconds) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", modelName);
        report.put("model_name", r.model());
        report.put("runtime", r.runtime());
        report.put("threshold", r.threshold());
        report.put("threshold_from", threshold != null ? "--threshold" : "model card");
        report.put("min_area", r.minArea());
        report.put("data", data.stream().map(Path::toString).toList());
        report.put("images", r.images());
        report.put("pixel", pixel(r.pixel()));
        report.put("pores", pores(r.pores()));
        report.put("seconds", seconds);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < r.perImage().size(); i++) {
            EvalResult.ImageScore s = r.perImage().get(i);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", s.name());
            row.put("folder", folderOf.get(i).toString());
            row.put("pixel", pixel(s.pixel()));
            row.put("pores", pores(s.pores()));
            row.put("predicted_pores", s.predictedPores());
            row.put("labelled_pores", s.labelledPores());
            rows.add(row);
        }
        report.put("per_image", rows);
        return report;
    }

    private static Map<String, Object> pixel(PixelMetrics p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dice", p.dice());
        m.put("iou", p.iou());
        m.put("precision", p.precision());
        m.put("recall", p.recall());
        m.put("tp", p.tp());
        m.put("fp", p.fp());
        m.put("fn", p.fn());
        m.put("tn", p.tn());
        return m;
    }

    private static Map<String, Object> pores(PoreMetrics q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("precision", q.precision());
        m.put("recall", q.recall());
        m.put("f1", q.f1());
        m.put("tp", q.tp());
        m.put("fp", q.fp());
        m.put("fn", q.fn());
        return m;
    }

    private static String fitName(String model) {
        if (model.equals("dog") || model.equals("dog-fit")) return "dog-fit";
        throw new UserException("--fit works with --model dog only, not '" + model + "'; drop --fit for trained models");
    }
}
