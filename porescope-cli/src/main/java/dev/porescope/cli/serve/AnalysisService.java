package dev.porescope.cli.serve;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.porescope.cli.analyze.PhotoAnalysis;
import dev.porescope.cli.analyze.PhotoRunner;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.support.Messages;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.io.AtomicFiles;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.overlay.SizeColors;
import dev.porescope.core.pipeline.PoreAnalyzer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The server's analyses: an uploaded photo goes through {@link PhotoAnalysis} exactly as
 * {@code porescope analyze --out-dir} runs it (same model, same outputs: mask, overlay, JSON, CSV,
 * histogram), into a private folder per result that the API then serves. Admission is by memory:
 * each photo reserves {@link PhotoRunner#BYTES_PER_PIXEL} of heap per pixel (read from its header) out of a
 * fixed budget, and a photo that does not fit now is answered 503 with Retry-After instead of
 * running the heap out.
 */
public final class AnalysisService implements AutoCloseable {

    /**
     * @param maxUploadBytes    largest request body (photo or mask), bytes (413 above)
     * @param memoryBudgetBytes heap that analyses may reserve together
     * @param parallel          photos analysed at the same time (more wait in line, their memory reserved)
     * @param threadsPerPhoto   model tile threads of one photo
     * @param timeoutSeconds    longest an analysis request waits for its result (503 after)
     * @param resultsKept       results kept for their PNG/CSV links and review (oldest dropped)
     */
    public record Limits(long maxUploadBytes, long memoryBudgetBytes, int parallel, int threadsPerPhoto,
                         int timeoutSeconds, int resultsKept) { }

    /**
     * Per-request options of {@code POST /api/analyze}.
     *
     * @param threshold   pore probability threshold instead of the model card's; null = the card's
     * @param pixelSizeUm micrometres per pixel; null = pixels
     */
    public record Options(Double threshold, Double pixelSizeUm, boolean zones) { }

    /** One analysed photo and its files, all inside {@code dir}, which the server alone names. */
    public record Stored(String id, String name, Path dir, Path photo, int width, int height, Double pixelSizeUm) {
        public Path json() { return dir.resolve("result.json"); }
        public Path mask() { return dir.resolve("mask.png"); }
        public Path overlay() { return dir.resolve("overlay.png"); }
        public Path csv() { return dir.resolve("pores.csv"); }
        public Path histogram() { return dir.resolve("histogram.png"); }
        /** The page's pore layer: pores filled in their size colour, zone outlines, the rest transparent. */
        public Path layer() { return dir.resolve("layer.png"); }
        /** The zones mask ({@code analyze --zones-mask}); only when the analysis found zones. */
        public Path zones() { return dir.resolve("zones.png"); }
    }

    private final SegmentationModel model;
    private final String modelName;
    private final ImageFiles files;
    private final Limits limits;
    private final Path workDir;
    private final int budgetKb;
    private final Semaphore memoryKb;
    private final ExecutorService pool;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Map<String, Stored> results = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile double lastSeconds = 5;
    private final java.util.concurrent.atomic.AtomicLong peakReservedKb = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param model     the loaded model (closed by {@link #close})
     * @param modelName what the user gave as the model, for the reports
     * @param files     the photo reader (pixel limit)
     */
    public AnalysisService(SegmentationModel model, String modelName, ImageFiles files, Limits limits) {
        this.model = model;
        this.modelName = modelName;
        this.files = files;
        this.limits = limits;
        this.budgetKb = (int) Math.max(1, Math.min(Integer.MAX_VALUE, limits.memoryBudgetBytes() / 1024));
        this.memoryKb = new Semaphore(budgetKb);
        this.pool = Executors.newFixedThreadPool(Math.max(1, limits.parallel()), r -> {
            Thread t = new Thread(r, "porescope-analysis");
            t.setDaemon(true);
            return t;
        });
        try {
            this.workDir = Files.createTempDirectory("porescope-serve-");
        } catch (IOException e) {
            throw new UserException("cannot create a temporary folder (" + e.getMessage() + "); check the free disk space"
                    + " and TMPDIR", e);
        }
    }

    public SegmentationModel model() { return model; }
    public String modelName() { return modelName; }
    public ImageFiles files() { return files; }
    public Limits limits() { return limits; }
    public int running() { return running.get(); }
    public int waiting() { return waiting.get(); }
    public long memoryBudgetBytes() { return budgetKb * 1024L; }
    public long memoryFreeBytes() { return memoryKb.availablePermits() * 1024L; }
    /** The most memory reserved by analyses at one time since the start. */
    public long memoryPeakBytes() { return peakReservedKb.get() * 1024L; }

    /**
     * Streams an upload into a new result folder under a safe name made from {@code clientName}
     * (its extension from the file's first bytes), analyses it and returns the stored result.
     */
    public Stored analyze(InputStream upload, String clientName, Options options) {
        String id = newId();
        Path dir = workDir.resolve(id);
        boolean keep = false;
        try {
            Files.createDirectory(dir);
            Path raw = dir.resolve("upload.tmp");
            copyLimited(upload, raw, limits.maxUploadBytes(), "the photo");
            String stem = SafeNames.stem(clientName, "photo");
            Path photo = dir.resolve(stem + "." + SafeNames.imageExtension(raw, clientName));
            Files.move(raw, photo);
            Stored stored = run(id, stem, dir, photo, options);
            keep = true;
            return stored;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UserException e) {
            // messages name the photo; the client knows it by its name, not by our folder
            String message = Messages.message(e).replace(dir + java.io.File.separator, "");
            throw new ApiException(e instanceof ImageFiles.TooLargeException ? 413 : 400, message);
        } finally {
            if (!keep) deleteTree(dir);
        }
    }

    private Stored run(String id, String stem, Path dir, Path photo, Options options) {
        ImageFiles.Size size = files.readSizeWithinLimit(photo);
        long needKbLong = size.pixels() * PhotoRunner.BYTES_PER_PIXEL / 1024 + 1;
        if (needKbLong > budgetKb) {
            throw new ApiException(413, String.format(Locale.ROOT,
                    "%s is %s and needs about %d MB of memory to analyse, more than the server's %d MB for analyses;"
                            + " scale it down or start the server with more heap (JAVA_OPTS=-Xmx8g)",
                    photo.getFileName(), size, needKbLong / 1024, budgetKb / 1024));
        }
        int needKb = (int) needKbLong;
        if (!memoryKb.tryAcquire(needKb)) {
            int retry = (int) Math.max(1, Math.ceil(lastSeconds));
            throw new ApiException(503, "the server is busy with other photos (" + running.get() + " running, "
                    + waiting.get() + " waiting); try again in " + retry + " s", retry);
        }
        peakReservedKb.accumulateAndGet(budgetKb - memoryKb.availablePermits(), Math::max);
        waiting.incrementAndGet();
        Future<Stored> job;
        try {
            job = pool.submit(() -> {
                waiting.decrementAndGet();
                running.incrementAndGet();
                long start = System.nanoTime();
                try {
                    return analyzeNow(id, stem, dir, photo, options);
                } finally {
                    running.decrementAndGet();
                    memoryKb.release(needKb);
                    lastSeconds = (System.nanoTime() - start) / 1e9;
                }
            });
        } catch (RuntimeException e) {
            waiting.decrementAndGet();
            memoryKb.release(needKb);
            throw e;
        }
        try {
            Stored stored = job.get(limits.timeoutSeconds(), TimeUnit.SECONDS);
            remember(stored);
            return stored;
        } catch (TimeoutException e) {
            job.cancel(true);
            throw new ApiException(503, "the analysis of " + photo.getFileName() + " took longer than "
                    + limits.timeoutSeconds() + " s; try a smaller photo, or again when the server is less busy", 10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "the server is stopping; try again later", 10);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UserException u) throw u;
            if (cause instanceof OutOfMemoryError) {
                throw new ApiException(503, Messages.message(cause), 10);
            }
            if (cause instanceof RuntimeException r) throw r;
            throw new IllegalStateException(cause);
        }
    }

    /** The photo through {@link PhotoAnalysis} with every output, as {@code analyze --out-dir} writes them. */
    private Stored analyzeNow(String id, String stem, Path dir, Path photo, Options options) throws IOException {
        SegmentationModel used = options.threshold() == null ? model
                : SegmentationModel.withCard(model, model.card().withThreshold(options.threshold()));
        PoreAnalyzer analyzer = new PoreAnalyzer(used)
                .withThreads(Math.max(1, limits.threadsPerPhoto()))
                .withPixelSizeUm(options.pixelSizeUm());
        PhotoAnalysis job = new PhotoAnalysis(new PhotoAnalysis.Settings(analyzer, files, null, null,
                options.pixelSizeUm(), modelName, Map.of(), options.zones()));
        Path rawJson = dir.resolve("analysis.json");
        Stored stored = new Stored(id, stem, dir, photo, 0, 0, options.pixelSizeUm());
        PhotoAnalysis.Result result = job.run(photo, new PhotoAnalysis.Outputs(stored.mask(), stored.overlay(),
                rawJson, stored.csv(), stored.histogram(), stored.zones(), stored.layer()), tiles -> { });
        writeReport(rawJson, stored.json(), id, photo.getFileName().toString(), result.zones() != null);
        Files.delete(rawJson);
        return new Stored(id, stem, dir, photo, result.width(), result.height(), options.pixelSizeUm());
    }

    /**
     * The analyze JSON with the photo named as the client sent it (not our folder), the result's id and
     * its links first. Streamed token by token: the pores of a 12 MP photo make tens of MB.
     */
    static void writeReport(Path analyzeJson, Path target, String id, String photoName, boolean zones) {
        JsonFactory factory = Json.mapper().getFactory();
        AtomicFiles.write(target, tmp -> {
            try (JsonParser in = factory.createParser(analyzeJson.toFile());
                 OutputStream os = Files.newOutputStream(tmp);
                 JsonGenerator out = factory.createGenerator(os, JsonEncoding.UTF8).useDefaultPrettyPrinter()) {
                if (in.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException("the analysis report " + analyzeJson + " is not a JSON object");
                }
                out.writeStartObject();
                out.writeStringField("id", id);
                out.writeObjectFieldStart("links");
                String base = "/api/results/" + id;
                out.writeStringField("self", base);
                out.writeStringField("photo", base + "/photo");
                out.writeStringField("mask", base + "/mask.png");
                out.writeStringField("overlay", base + "/overlay.png");
                out.writeStringField("histogram", base + "/histogram.png");
                out.writeStringField("layer", base + "/layer.png");
                if (zones) out.writeStringField("zones", base + "/zones.png");
                out.writeStringField("csv", base + "/pores.csv");
                out.writeStringField("review", base + "/review");
                out.writeEndObject();
                // the layer's pore colours, small to large on a log scale (the overlay's legend)
                out.writeArrayFieldStart("size_colors");
                for (String c : SizeColors.cssStops()) out.writeString(c);
                out.writeEndArray();
                while (in.nextToken() == JsonToken.FIELD_NAME) {
                    String field = in.currentName();
                    in.nextToken();
                    out.writeFieldName(field);
                    if (field.equals("photo")) {
                        out.writeString(photoName);
                        in.skipChildren();
                    } else {
                        out.copyCurrentStructure(in);
                    }
                }
                out.writeEndObject();
            }
        });
    }

    /** A result by id; 404 when unknown or already dropped. Ids are checked before any lookup. */
    public Stored get(String id) {
        if (id == null || !id.matches("[0-9a-f]{16}")) {
            throw new ApiException(404, "no result '" + SafeNames.printable(id) + "'; analyse the photo again");
        }
        synchronized (results) {
            Stored stored = results.get(id);
            if (stored == null) {
                throw new ApiException(404, "no result " + id + " (results are kept for the last " + limits.resultsKept()
                        + " photos); analyse the photo again");
            }
            return stored;
        }
    }

    /** Streams a request body (a mask PNG) into a temporary file of the result's folder. */
    public Path receive(Stored stored, InputStream body, String what) {
        try {
            Path tmp = Files.createTempFile(stored.dir(), "upload-", ".tmp");
            copyLimited(body, tmp, limits.maxUploadBytes(), what);
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void remember(Stored stored) {
        List<Stored> dropped = new ArrayList<>();
        synchronized (results) {
            results.put(stored.id(), stored);
            var it = results.values().iterator();
            while (results.size() - dropped.size() > Math.max(1, limits.resultsKept()) && it.hasNext()) {
                dropped.add(it.next());
                it.remove();
            }
        }
        for (Stored old : dropped) deleteTree(old.dir());
    }

    private String newId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void copyLimited(InputStream in, Path target, long maxBytes, String what) throws IOException {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > maxBytes) {
                    throw new ApiException(413, what + " is larger than the server's upload limit of "
                            + maxBytes / (1024 * 1024) + " MB; scale it down or start the server with a larger --max-upload-mb");
                }
                out.write(buffer, 0, n);
            }
        }
        if (total == 0) {
            throw new ApiException(400, what + " is empty; send a PNG or JPEG file");
        }
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary file left behind is removed with the work folder at shutdown
        }
    }

    /** Stops the workers, closes the model and removes every result. */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        model.close();
        deleteTree(workDir);
    }
}
