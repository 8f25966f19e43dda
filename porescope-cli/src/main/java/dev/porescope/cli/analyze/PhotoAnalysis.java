package dev.porescope.cli.analyze;

import dev.porescope.cli.UserException;
import dev.porescope.cli.io.ArgbImage;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.report.AnalysisJson;
import dev.porescope.cli.report.Overlay;
import dev.porescope.cli.report.PoreTable;
import dev.porescope.cli.report.SizeHistogram;
import dev.porescope.core.face.FaceZones;
import dev.porescope.core.face.ZoneFigures;
import dev.porescope.core.image.Luma;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
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
    public record Outputs(Path mask, Path overlay, Path json, Path csv, Path histogram, Path zonesMask) {
        public Outputs(Path mask, Path overlay, Path json, Path csv, Path histogram) {
            this(mask, overlay, json, csv, histogram, null);
        }

        public static Outputs none() {
            return new Outputs(null, null, null, null, null, null);
        }

        /**
         * Every output, in {@code dir}, named after the photo: NAME.mask.png, NAME.overlay.png, NAME.json,
         * NAME.csv, NAME.histogram.png, NAME.zones.png.
         */
        public static Outputs in(Path dir, String name) {
            return new Outputs(dir.resolve(name + ".mask.png"), dir.resolve(name + ".overlay.png"),
                    dir.resolve(name + ".json"), dir.resolve(name + ".csv"), dir.resolve(name + ".histogram.png"),
                    dir.resolve(name + ".zones.png"));
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
     * @param zones     what the zone finder found and where pores were counted; null with --roi or --zones none
     * @param zoneFigures pores per zone; empty without zones
     */
    public record Result(Path photo, int width, int height, PoreSummary summary, Map<String, Double> timingsMs,
                         java.util.List<Path> written, FaceZones zones, java.util.List<ZoneFigures> zoneFigures) { }

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
     * @param zones       find the skin and face zones and count pores only there (without an ROI)
     */
    public record Settings(PoreAnalyzer analyzer, ImageFiles files, Mask roi, Path roiFile, Double pixelSizeUm,
                           String modelName, Map<String, Object> preprocessingOverrides, boolean zones) {
        public Settings(PoreAnalyzer analyzer, ImageFiles files, Mask roi, Path roiFile, Double pixelSizeUm,
                        String modelName, Map<String, Object> preprocessingOverrides) {
            this(analyzer, files, roi, roiFile, pixelSizeUm, modelName, preprocessingOverrides, false);
        }
    }

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
        FaceZones zones = null;
        if (roi == null && settings.zones()) {
            zones = FaceZones.find(argb.argb(), w, h);
            if (!zones.usable()) {
                throw new UserException(photo + ": " + zones.note() + "; pass --zones none to count pores over the whole photo,"
                        + " or --roi PNG to say where");
            }
            clock.lap("zones");
        }
        Mask region = roi != null ? roi : zones != null ? zones.analysed() : Mask.full(w, h);
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
        java.util.List<ZoneFigures> zoneFigures = zones == null ? java.util.List.of()
                : ZoneFigures.of(found.pores(), zones, settings.pixelSizeUm());
        clock.lap("pores");

        java.util.List<Path> written = new java.util.ArrayList<>();
        if (outputs.mask() != null) {
            ImageFiles.writeMask(found.poreMask(), outputs.mask());
            written.add(outputs.mask());
        }
        if (outputs.overlay() != null) {
            ArgbImage again = settings.files().readArgb(photo);
            ImageFiles.writePng(Overlay.draw(again, found.poreMask(), found.pores(), zones, settings.pixelSizeUm()), outputs.overlay());
            written.add(outputs.overlay());
        }
        if (outputs.zonesMask() != null && zones != null) {
            ImageFiles.writeLabels(zones.labels(), w, h, outputs.zonesMask());
            written.add(outputs.zonesMask());
        }
        if (outputs.csv() != null) {
            ImageFiles.writeAtomically(outputs.csv(), tmp -> {
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
            Map<String, Object> report = AnalysisJson.report(photo, w, h, settings, summary, found.pores(), clock.timings(),
                    zones, zoneFigures);
            // streamed: the pores of a 12 MP photo make tens of MB of text
            ImageFiles.writeAtomically(outputs.json(), tmp -> {
                try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    Json.mapper().writerWithDefaultPrettyPrinter()
                            .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                            .writeValue(out, report);
                    out.write('\n');
                }
            });
            written.add(outputs.json());
        }
        return new Result(photo, w, h, summary, clock.timings(), java.util.List.copyOf(written), zones, zoneFigures);
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
