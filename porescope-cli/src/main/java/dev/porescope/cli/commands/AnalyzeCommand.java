package dev.porescope.cli.commands;

import dev.porescope.cli.analyze.Outcome;
import dev.porescope.cli.analyze.PhotoAnalysis;
import dev.porescope.cli.analyze.PhotoAnalysis.Outputs;
import dev.porescope.cli.analyze.PhotoInputs;
import dev.porescope.cli.analyze.PhotoInputs.Input;
import dev.porescope.cli.analyze.PhotoRunner;
import dev.porescope.cli.analyze.SummaryTable;
import dev.porescope.cli.analyze.Zones;
import dev.porescope.cli.io.FileRoles;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.io.ImageOptions;
import dev.porescope.cli.models.DefaultModel;
import dev.porescope.cli.models.ModelLoader;
import dev.porescope.cli.support.OptionValues;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.face.ZoneFigures;
import dev.porescope.core.image.Mask;
import dev.porescope.core.io.AtomicFiles;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.pipeline.PoreAnalyzer;
import dev.porescope.core.pores.PoreSummary;
import dev.porescope.core.tile.Tiler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code porescope analyze}: finds the pores of photos and writes masks, overlays and tables. */
@Command(name = "analyze", sortOptions = false,
        description = {"Find the pores in skin photos (PNG or JPEG; a folder means every photo in it).",
                "One photo: a short summary on stdout and the files asked for. Several photos: they are analysed in"
                        + " parallel, one summary CSV row per photo (on stdout, or in --summary-csv), and --out-dir"
                        + " gets each photo's mask, overlay, JSON, CSV and histogram. A photo that fails is reported"
                        + " on stderr, the others are still analysed, and the exit code is 1."})
public final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PHOTO_OR_FOLDER", description = "Photos, or folders of photos (.png, .jpg, .jpeg).")
    List<Path> inputs;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "dog (difference-of-Gaussians baseline) or a model file. Default: the network model embedded in porescope.")
    String model;

    @Option(names = "--roi", paramLabel = "PNG", description = "Look for pores only where this mask (the photo's size) is nonzero.")
    Path roi;

    @Option(names = "--zones", paramLabel = "auto|none", defaultValue = "auto", converter = Zones.Converter.class,
            description = "auto (default): find the skin and a frontal face, count pores only on skin, per face zone"
                    + " (forehead, nose, right/left cheek, chin; the subject's right and left), or on the skin alone when"
                    + " no face is in view. none: the whole photo. --roi wins over both.")
    Zones zones;

    @Option(names = "--zones-mask", paramLabel = "PNG",
            description = "Write the zones as an 8-bit PNG: 0 = not analysed, 40 forehead, 80 nose, 120 right cheek,"
                    + " 160 left cheek, 200 chin, 255 skin (no face). One photo only.")
    Path zonesMask;

    @Option(names = "--pixel-size-um", converter = OptionValues.Positive.class, paramLabel = "X",
            description = "Side of a pixel in micrometres: areas in um^2, lengths in um, density per cm^2.")
    Double pixelSizeUm;

    @Option(names = "--mask", paramLabel = "PNG", description = "Write the pore mask (the photo's size, 255 = pore). One photo only.")
    Path mask;

    @Option(names = "--overlay", paramLabel = "PNG", description = "Write the photo with each pore outlined, coloured by size, with a legend. One photo only.")
    Path overlay;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the summary, model card, preprocessing, timings and every pore as JSON. One photo only.")
    Path json;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write one row per pore with ImageJ 'Analyze Particles' columns. One photo only.")
    Path csv;

    @Option(names = "--histogram", paramLabel = "PNG", description = "Write the pore-size histogram as a PNG. One photo only.")
    Path histogram;

    @Option(names = "--out-dir", paramLabel = "DIR",
            description = "Write every output of every photo here: NAME.mask.png, NAME.overlay.png, NAME.json, NAME.csv, NAME.histogram.png, NAME.zones.png (with zones).")
    Path outDir;

    @Option(names = "--summary-csv", paramLabel = "FILE", description = "Write one row per photo (pores, density, areas, or why it failed).")
    Path summaryCsv;

    @Option(names = "--threads", converter = OptionValues.Threads.class, paramLabel = "N", description = "Threads for the model's tiles, over all photos (default: the number of CPU cores).")
    Integer threads;

    @Option(names = "--model-threads", converter = OptionValues.Threads.class, paramLabel = "N",
            description = "Threads inside the model runtime for each tile (ONNX Runtime intra-op; default: 1, the tiles run in parallel instead).")
    Integer modelThreads;

    @Option(names = "--parallel", converter = OptionValues.AtLeastOne.class, paramLabel = "N", defaultValue = "2",
            description = "Photos analysed at the same time (default: ${DEFAULT-VALUE}; fewer when memory is short).")
    int parallel;

    @Option(names = "--tile", converter = OptionValues.AtLeastOne.class, paramLabel = "PX", description = "Tile side for the model (default: 512, or more for a model with a large margin).")
    Integer tile;

    @Option(names = "--threshold", paramLabel = "T",
            description = "Decision threshold on the pore probability, instead of the model card's (which the file keeps).")
    Double threshold;

    @Mixin
    PreprocessOptions preprocess;

    @Mixin
    ImageOptions images;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkUsage();
        List<Input> photos = PhotoInputs.expand(inputs);
        boolean batch = photos.size() > 1;
        if (batch && (mask != null || overlay != null || json != null || csv != null || histogram != null || zonesMask != null)) {
            throw new ParameterException(spec.commandLine(), photos.size() + " photos given: --mask, --overlay, --json, --csv,"
                    + " --histogram and --zones-mask take one photo; use --out-dir DIR for per-photo files");
        }
        fileRoles(photos, batch).check(spec);
        ImageFiles files = images.files();
        Mask roiMask = roi == null ? null : files.readMask(roi);

        String modelName = model != null ? model : DefaultModel.embedded().resolve(err);
        if (ModelLoader.fitsOnData(modelName)) {
            throw new UserException("model " + modelName + " fits itself on labelled data, which analyze does not have;"
                    + " use --model dog, or a trained model file");
        }
        ModelLoader.check(modelName);
        int totalThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        int photosAtOnce = Math.max(1, Math.min(parallel, photos.size()));
        List<Outcome> outcomes;
        int tileThreads = Math.max(1, totalThreads / photosAtOnce);
        // one runtime thread per tile: tiles (and photos) in parallel cost less CPU than runtime threads (bench analyze)
        int runtimeThreads = modelThreads != null ? modelThreads : 1;
        try (SegmentationModel loaded = ModelLoader.load(modelName, null, runtimeThreads)) {
            Map<String, Object> overrides = preprocess.overrides();
            SegmentationModel used = overrides.isEmpty() ? loaded
                    : SegmentationModel.withCard(loaded, loaded.card().withPreprocessing(
                            preprocess.apply(loaded.card().preprocessing())));
            used = Thresholds.apply(used, threshold);
            PoreAnalyzer analyzer = new PoreAnalyzer(used)
                    .withThreads(tileThreads)
                    .withPixelSizeUm(pixelSizeUm);
            if (tile != null) {
                if (tile < Tiler.minimumTileSize(used)) {
                    throw new ParameterException(spec.commandLine(), "--tile " + tile + " is too small for model '"
                            + used.card().name() + "'; use at least " + Tiler.minimumTileSize(used));
                }
                analyzer = analyzer.withTileSize(tile);
            }
            PhotoAnalysis job = new PhotoAnalysis(new PhotoAnalysis.Settings(analyzer, files, roiMask, roi, pixelSizeUm,
                    modelName, overrides, zones.found()));
            outcomes = batch ? PhotoRunner.batch(job, photos, input -> outputsFor(input, true), photosAtOnce, err)
                    : List.of(PhotoRunner.one(job, photos.get(0), outputsFor(photos.get(0), false)));
        }

        if (summaryCsv != null) {
            String table = SummaryTable.csv(outcomes);
            AtomicFiles.write(summaryCsv, tmp -> Files.writeString(tmp, table, StandardCharsets.UTF_8));
        }
        if (!batch) {
            Outcome one = outcomes.get(0);
            if (one.failure() != null) throw one.failure();
            printSummary(out, one.result(), modelName);
            for (Path written : one.result().written()) err.println("porescope: wrote " + written);
        } else {
            if (summaryCsv == null) {
                out.print(SummaryTable.csv(outcomes));
            } else {
                for (Outcome o : outcomes) out.println(SummaryTable.line(o));
                err.println("porescope: wrote " + summaryCsv);
            }
            if (outDir != null) err.println("porescope: wrote the files of each photo to " + outDir);
        }
        long failed = outcomes.stream().filter(o -> o.failure() != null).count();
        if (batch && failed > 0) {
            err.println("porescope: " + failed + " of " + outcomes.size() + " photos failed (why: above, and in the summary): "
                    + String.join(", ", outcomes.stream().filter(o -> o.failure() != null).map(o -> o.photo().toString()).toList()));
        }
        out.flush();
        err.flush();
        return failed > 0 ? 1 : 0;
    }

    private void checkUsage() {
        if (pixelSizeUm != null && !(pixelSizeUm > 0 && Double.isFinite(pixelSizeUm))) {
            throw new ParameterException(spec.commandLine(), "--pixel-size-um must be a positive number of micrometres, got " + pixelSizeUm);
        }
        if (modelThreads != null && modelThreads < 1) {
            throw new ParameterException(spec.commandLine(), "--model-threads must be at least 1, got " + modelThreads);
        }
        if (threads != null && threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        }
        if (zonesMask != null && (roi != null || !zones.found())) {
            throw new ParameterException(spec.commandLine(), "--zones-mask needs --zones auto and no --roi");
        }
        if (parallel < 1) {
            throw new ParameterException(spec.commandLine(), "--parallel must be at least 1, got " + parallel);
        }
    }

    /** Every file read and written, so that no output overwrites a photo, the ROI, the model or another output. */
    private FileRoles fileRoles(List<Input> photos, boolean batch) {
        FileRoles roles = new FileRoles().input("--roi", roi).input("--model", model == null ? null : Path.of(model));
        for (Input input : photos) roles.input("the photo", input.photo());
        for (Input input : photos) {
            Outputs o = outputsFor(input, batch);
            roles.output("--mask", o.mask()).output("--overlay", o.overlay()).output("--json", o.json())
                    .output("--csv", o.csv()).output("--histogram", o.histogram());
        }
        return roles.output("--summary-csv", summaryCsv);
    }

    private Outputs outputsFor(Input input, boolean batch) {
        if (outDir != null) {
            Outputs all = Outputs.in(outDir, input.name());
            if (batch) return all;
            // one photo: a file named explicitly wins over the --out-dir one
            return new Outputs(mask != null ? mask : all.mask(), overlay != null ? overlay : all.overlay(),
                    json != null ? json : all.json(), csv != null ? csv : all.csv(),
                    histogram != null ? histogram : all.histogram(), zonesMask != null ? zonesMask : all.zonesMask());
        }
        return batch ? Outputs.none() : new Outputs(mask, overlay, json, csv, histogram, zonesMask);
    }

    private static void printSummary(PrintWriter out, PhotoAnalysis.Result r, String modelName) {
        PoreSummary s = r.summary();
        out.printf(Locale.ROOT, "%s: %d pores in %dx%d px (ROI %d px) with model %s%n",
                r.photo(), s.count(), r.width(), r.height(), s.roiPixels(), modelName);
        out.printf(Locale.ROOT, "density %.2f per 100x100 px%s; area mean %.4g %s, median %.4g %s; pores cover %.2f %% of the ROI%n",
                s.per100x100(), s.perCm2() == null ? "" : String.format(Locale.ROOT, ", %.0f per cm^2", s.perCm2()),
                s.meanArea(), s.areaUnit(), s.medianArea(), s.areaUnit(), 100 * s.poreFraction());
        if (r.zones() != null) {
            out.println("zones: " + r.zones().note());
            for (ZoneFigures z : r.zoneFigures()) {
                PoreSummary zs = z.summary();
                out.printf(Locale.ROOT, "  %-12s %6d pores in %9d px, %6.2f per 100x100 px%s, median area %.4g %s, score %.0f%n",
                        z.name(), zs.count(), zs.roiPixels(), zs.per100x100(),
                        zs.perCm2() == null ? "" : String.format(Locale.ROOT, ", %.0f per cm^2", zs.perCm2()),
                        zs.medianArea(), zs.areaUnit(), z.score());
            }
        }
        out.printf(Locale.ROOT, "time %.2f s%n", r.timingsMs().get("total") / 1000);
    }
}
