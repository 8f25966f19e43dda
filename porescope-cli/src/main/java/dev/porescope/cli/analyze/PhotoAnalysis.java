package dev.porescope.cli.analyze;

import dev.porescope.cli.io.ArgbImage;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.io.PngFiles;
import dev.porescope.cli.report.Overlay;
import dev.porescope.cli.report.PoreTable;
import dev.porescope.cli.report.SizeHistogram;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.face.FaceZones;
import dev.porescope.core.face.ZoneFigures;
import dev.porescope.core.image.Luma;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.io.AtomicFiles;
import dev.porescope.core.json.Json;
import dev.porescope.core.overlay.OverlayPixels;
import dev.porescope.core.pipeline.PoreAnalyzer;
import dev.porescope.core.pores.PoreSummary;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.porescope.core.pores.Pore;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Analyses one photo and writes the files asked for: decode (EXIF orientation, pixel limit), luma,
 * then {@link PoreAnalyzer#analyze} (preprocessing, model over tiles, pores), whose listener times
 * its stages and reports tiles to a progress bar; then the reports. Big intermediate images are
 * dropped as soon as they are used.
 */
public final class PhotoAnalysis {

    /**
     * Files to write for one photo; null = not wanted. {@code layer} is the pore layer of the web page
     * ({@link OverlayPixels#layer}: pores filled in their size colour, zone outlines, the rest transparent).
     */
    public record Outputs(Path mask, Path overlay, Path json, Path csv, Path histogram, Path zonesMask, Path layer) {
        public Outputs(Path mask, Path overlay, Path json, Path csv, Path histogram, Path zonesMask) {
            this(mask, overlay, json, csv, histogram, zonesMask, null);
        }

        public Outputs(Path mask, Path overlay, Path json, Path csv, Path histogram) {
            this(mask, overlay, json, csv, histogram, null, null);
        }

        public static Outputs none() {
            return new Outputs(null, null, null, null, null, null, null);
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
     * Heap that the planes of one photo take at the same time at the least, bytes a pixel: the decoded
     * photo and its luma, the network input and output planes, the masks and the component labels. A
     * photo above {@code max heap / this} cannot be analysed in this JVM whatever else it does; below,
     * it usually can ({@link PhotoRunner#BYTES_PER_PIXEL} is the measured peak with every output).
     * Measured (README "Memory"): 12 MP with the JSON alone and no zones runs at 276 MiB (24 bytes a
     * pixel) and fails below; 25 MP with every output fails at 640 MiB.
     */
    public static final long MIN_BYTES_PER_PIXEL = 24;

    /**
     * Refuses, before decoding, a photo this JVM's heap cannot hold, with the heap it would need: one
     * line instead of an out-of-memory error half-way.
     */
    static void requireHeap(ImageFiles.Size size, Path photo, long maxHeapBytes) {
        long need = size.pixels() * MIN_BYTES_PER_PIXEL;
        if (need > maxHeapBytes) {
            long suggestMb = (size.pixels() * PhotoRunner.BYTES_PER_PIXEL >> 20) + 256;
            throw new UserException(String.format(java.util.Locale.ROOT, "%s is %dx%d (%.0f MP): analysing it takes at least"
                            + " %d MB of Java heap and this one has %d MB; run with more (JAVA_OPTS=-Xmx%dm bin/porescope ...)"
                            + " or analyse a smaller photo", photo, size.width(), size.height(), size.pixels() / 1e6,
                    need >> 20, maxHeapBytes >> 20, suggestMb));
        }
    }

    /**
     * The face zones of {@code --zones auto} (the skin alone when no face is in view), for {@code analyze},
     * {@code serve} and {@code batch} alike.
     *
     * @throws UserException when the photo cannot be analysed by zones (several faces, a face too small, no
     *                       skin), naming the photo and the options that would analyse it
     */
    public static FaceZones findZones(ArgbImage argb, String photoName) {
        FaceZones zones = FaceModelZones.find(argb.argb(), argb.width(), argb.height());
        if (!zones.usable()) {
            throw new UserException(photoName + ": " + zones.note() + "; pass --zones none to count pores over the whole photo,"
                    + " or --roi PNG to say where");
        }
        return zones;
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
                         List<Path> written, FaceZones zones, List<ZoneFigures> zoneFigures) { }

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

    /**
     * The photo's stored size from its header, once it is known that this JVM's heap can hold it (the
     * check of {@link #run}); for callers that size tiles or memory from it before running.
     */
    public ImageFiles.Size admit(Path photo) {
        ImageFiles.Size size = settings.files().readSize(photo);
        requireHeap(size, photo, Runtime.getRuntime().maxMemory());
        return size;
    }

    /** Analyses {@code photo}; {@code tilesDone} hears finished tiles (total: {@link #tiles}). */
    public Result run(Path photo, Outputs outputs, IntConsumer tilesDone) {
        admit(photo);
        return runAdmitted(photo, outputs, tilesDone);
    }

    /** As {@link #run}, for a photo {@link #admit} has already checked. */
    public Result runAdmitted(Path photo, Outputs outputs, IntConsumer tilesDone) {
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
        FaceZones zones = roi == null && settings.zones() ? findZones(argb, photo.toString()) : null;
        if (zones != null) clock.lap("zones");
        Mask region = roi != null ? roi : zones != null ? zones.analysed() : Mask.full(w, h);
        Plane luma = Luma.fromArgb(argb.argb(), w, h);
        // the overlay is drawn on the decoded photo kept in memory (decoding it again took longer)
        ArgbImage photoPixels = outputs.overlay() != null ? argb : null;
        argb = null;
        clock.lap("luma");
        PoreAnalyzer.Analysis analysis = analyzer.analyze(luma, region, new PoreAnalyzer.Listener() {
            @Override
            public void stageDone(PoreAnalyzer.Stage stage, long nanos) {
                clock.lap(stage.label());
            }

            @Override
            public void tilesDone(int done, int total) {
                tilesDone.accept(done);
            }
        });
        luma = null;
        Mask poreMask = analysis.poreMask();
        List<Pore> pores = analysis.pores();
        PoreSummary summary = analysis.summary();
        analysis = null; // the probability is not needed for the files: 4 bytes a pixel less
        List<ZoneFigures> zoneFigures = zones == null ? List.of() : ZoneFigures.of(pores, zones, settings.pixelSizeUm());

        // the files are encoded at the same time; the JSON (on this thread) ends with the timings, once the others are written
        List<Path> written = new ArrayList<>();
        Map<Path, Runnable> jobs = new LinkedHashMap<>();
        if (outputs.mask() != null) jobs.put(outputs.mask(), () -> PngFiles.writeMask(poreMask, outputs.mask()));
        if (outputs.overlay() != null) {
            jobs.put(outputs.overlay(), () -> PngFiles.writePng(
                    Overlay.draw(photoPixels, poreMask, pores, zones, settings.pixelSizeUm()), outputs.overlay()));
        }
        if (outputs.zonesMask() != null && zones != null) {
            jobs.put(outputs.zonesMask(), () -> PngFiles.writeLabels(zones.labels(), w, h, outputs.zonesMask()));
        }
        if (outputs.layer() != null) {
            jobs.put(outputs.layer(), () -> PngFiles.writeArgb(
                    new ArgbImage(w, h, OverlayPixels.layer(poreMask, pores, zones)), outputs.layer()));
        }
        if (outputs.csv() != null) {
            jobs.put(outputs.csv(), () -> AtomicFiles.write(outputs.csv(), tmp -> {
                try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    PoreTable.write(pores, settings.pixelSizeUm(), out);
                }
            }));
        }
        if (outputs.histogram() != null) {
            jobs.put(outputs.histogram(), () -> PngFiles.writePng(
                    SizeHistogram.draw(photo.getFileName() + ": " + summary.count() + " pores", summary), outputs.histogram()));
        }
        written.addAll(jobs.keySet());
        ExecutorService pool = jobs.isEmpty() ? null : Executors.newFixedThreadPool(Math.min(jobs.size(), WRITER_THREADS), r -> {
            Thread t = new Thread(r, "porescope-write");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> files = new ArrayList<>();
            for (Runnable job : jobs.values()) files.add(pool.submit(job));
            Timings timings = new Timings(clock, files);
            if (outputs.json() != null) {
                Map<String, Object> report = AnalysisJson.report(photo, w, h, settings, summary, pores, Map.of(),
                        zones, zoneFigures);
                report.remove("timings_ms");
                report.put("timings_ms", timings); // last: written once every other file is
                // streamed: the pores of a 12 MP photo make tens of MB of text
                try {
                    AtomicFiles.write(outputs.json(), tmp -> {
                        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                            Json.mapper().writerWithDefaultPrettyPrinter()
                                    .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                                    .writeValue(out, report);
                            out.write('\n');
                        }
                    });
                } catch (RuntimeException e) {
                    if (timings.failure != null) throw timings.failure; // another file failed: say that, not the JSON
                    throw e;
                }
                written.add(outputs.json());
            }
            return new Result(photo, w, h, summary, timings.value(), List.copyOf(written), zones, zoneFigures);
        } finally {
            if (pool != null) awaitWriters(pool);
        }
    }

    /**
     * No writer outlives the photo's run, also when one file failed: the others finish (or fail)
     * before the failure is reported, so the caller never sees a folder still being written.
     */
    private static void awaitWriters(ExecutorService pool) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES)) pool.shutdownNow();
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Threads that encode one photo's files besides the caller (which writes the JSON). */
    static final int WRITER_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    /** The stage timings once the files in {@code files} are written (waits for them; rethrows their failure). */
    static final class Timings {
        private final Stopwatch clock;
        private final List<Future<?>> files;
        private Map<String, Double> value;
        private RuntimeException failure;

        Timings(Stopwatch clock, List<Future<?>> files) {
            this.clock = clock;
            this.files = files;
        }

        @JsonValue
        synchronized Map<String, Double> value() {
            if (failure != null) throw failure;
            if (value == null) {
                // every file is waited for, also after one failed: the first failure is reported once all are done
                Throwable first = null;
                for (Future<?> f : files) {
                    try {
                        f.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw failure = new UserException("interrupted while writing the files", e);
                    } catch (ExecutionException e) {
                        if (first == null) first = e.getCause();
                    }
                }
                if (first instanceof Error err) throw err;
                if (first != null) {
                    throw failure = first instanceof RuntimeException r ? r : new IllegalStateException(first);
                }
                clock.lap("write");
                value = clock.timings();
            }
            return value;
        }
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
