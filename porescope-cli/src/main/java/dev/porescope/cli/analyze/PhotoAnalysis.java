package dev.porescope.cli.analyze;

import dev.porescope.cli.UserException;
import dev.porescope.cli.io.ArgbImage;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.report.AnalysisJson;
import dev.porescope.cli.report.Overlay;
import dev.porescope.cli.report.PoreTable;
import dev.porescope.cli.report.SizeHistogram;
import dev.porescope.core.image.Luma;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.io.AtomicFiles;
import dev.porescope.core.json.Json;
import dev.porescope.core.pipeline.PoreAnalyzer;
import dev.porescope.core.pores.PoreResult;
import dev.porescope.core.pores.PoreSummary;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Analyses one photo and writes the files asked for: decode (EXIF orientation, pixel limit), luma,
 * the model card's preprocessing, the model over tiles, pore extraction, reports. The stages are
 * those of {@link PoreAnalyzer#analyze}, run one by one so that each can be timed and the tiles
 * reported to a progress bar; big intermediate images are dropped as soon as they are used.
 */
public final class PhotoAnalysis {

    /** Files to write for one photo; null = not wanted. */
    public record Outputs(Path mask, Path overlay, Path json, Path csv, Path histogram) {
        public static Outputs none() {
            return new Outputs(null, null, null, null, null);
        }

        /** Every output, in {@code dir}, named after the photo: NAME.mask.png, NAME.overlay.png, NAME.json, NAME.csv, NAME.histogram.png. */
        public static Outputs in(Path dir, String name) {
            return new Outputs(dir.resolve(name + ".mask.png"), dir.resolve(name + ".overlay.png"),
                    dir.resolve(name + ".json"), dir.resolve(name + ".csv"), dir.resolve(name + ".histogram.png"));
        }
    }

    /**
     * What stays of an analysed photo after its files are written.
     *
     * @param photo     the photo file
     * @param width     upright width
     * @param height    upright height
     * @param summary   counts, density, areas
     * @param timingsMs milliseconds per stage, in order, and "total"
     * @param written   files written
     */
    public record Result(Path photo, int width, int height, PoreSummary summary, Map<String, Double> timingsMs,
                         java.util.List<Path> written) { }

    private final Settings settings;

    public Settings settings() { return settings; }

    public PhotoAnalysis(Settings settings) {
        this.settings = settings;
    }

    /**
     * Everything that is the same for every photo of a run.
     *
     * @param analyzer    the model and how to run it (tile size, threads, pixel size)
     * @param files       the image reader (pixel limit)
     * @param roi         where to look; null = the whole photo
     * @param roiFile     the ROI's file, for messages and the JSON; null without ROI
     * @param pixelSizeUm micrometres per pixel, or null
     * @param modelName   what the user gave as the model (or how the default was resolved)
     * @param preprocessingOverrides options given on the command line that changed the card's preprocessing
     */
    public record Settings(PoreAnalyzer analyzer, ImageFiles files, Mask roi, Path roiFile, Double pixelSizeUm,
                           String modelName, Map<String, Object> preprocessingOverrides) { }

    /** Analyses {@code photo}; {@code tilesDone} hears finished tiles (total: {@link #tiles}). */
    public Result run(Path photo, Outputs outputs, IntConsumer tilesDone) {
        Stopwatch clock = new Stopwatch();
        PoreAnalyzer analyzer = settings.analyzer();
        ArgbImage argb = settings.files().readArgb(photo);
        int w = argb.width();
        int h = argb.height();
        clock.lap("read");
        Mask roi = settings.roi();
        if (roi != null && (roi.width() != w || roi.height() != h)) {
            throw new UserException("the ROI " + settings.roiFile() + " is " + roi.width() + "x" + roi.height()
                    + " but the photo " + photo + " is " + w + "x" + h + " (after EXIF orientation); give an ROI of the photo's size");
        }
        Mask region = roi == null ? Mask.full(w, h) : roi;
        Plane luma = Luma.fromArgb(argb.argb(), w, h);
        argb = null; // the overlay decodes the photo again: 4 bytes a pixel less at the peak below
        clock.lap("luma");
        Plane input = analyzer.preprocessing().apply(luma);
        clock.lap("preprocess");
        // PoreAnalyzer.analyze, stage by stage: timed, and each whole-image plane dropped once used
        Plane probability = analyzer.predict(input, tilesDone);
        input = null;
        clock.lap("model");
        PoreResult found = analyzer.extractor().extract(probability, luma, region);
        probability = null;
        luma = null;
        PoreSummary summary = analyzer.summarize(found.pores(), region);
        clock.lap("pores");

        java.util.List<Path> written = new java.util.ArrayList<>();
        if (outputs.mask() != null) {
            ImageFiles.writeMask(found.poreMask(), outputs.mask());
            written.add(outputs.mask());
        }
        if (outputs.overlay() != null) {
            ArgbImage again = settings.files().readArgb(photo);
            ImageFiles.writePng(Overlay.draw(again, found.poreMask(), found.pores(), settings.pixelSizeUm()), outputs.overlay());
            written.add(outputs.overlay());
        }
        if (outputs.csv() != null) {
            AtomicFiles.write(outputs.csv(), tmp -> {
                try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    PoreTable.write(found.pores(), settings.pixelSizeUm(), out);
                }
            });
            written.add(outputs.csv());
        }
        if (outputs.histogram() != null) {
            ImageFiles.writePng(SizeHistogram.draw(photo.getFileName() + ": " + summary.count() + " pores", summary),
                    outputs.histogram());
            written.add(outputs.histogram());
        }
        clock.lap("write");
        if (outputs.json() != null) {
            Map<String, Object> report = AnalysisJson.report(photo, w, h, settings, summary, found.pores(), clock.timings());
            // streamed: the pores of a 12 MP photo make tens of MB of text
            AtomicFiles.write(outputs.json(), tmp -> {
                try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    Json.mapper().writerWithDefaultPrettyPrinter()
                            .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                            .writeValue(out, report);
                    out.write('\n');
                }
            });
            written.add(outputs.json());
        }
        return new Result(photo, w, h, summary, clock.timings(), java.util.List.copyOf(written));
    }

    /** Milliseconds per stage. */
    static final class Stopwatch {
        private final long start = System.nanoTime();
        private long last = start;
        private final Map<String, Double> laps = new LinkedHashMap<>();

        void lap(String stage) {
            long now = System.nanoTime();
            laps.put(stage, (now - last) / 1e6);
            last = now;
        }

        Map<String, Double> timings() {
            Map<String, Double> all = new LinkedHashMap<>(laps);
            all.put("total", (last - start) / 1e6);
            return all;
        }
    }
}
