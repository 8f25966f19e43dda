package dev.porescope.cli.commands;

import dev.porescope.cli.analyze.PhotoAnalysis;
import dev.porescope.cli.io.ArgbImage;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.io.ImageOptions;
import dev.porescope.cli.io.PngFiles;
import dev.porescope.cli.models.DefaultModel;
import dev.porescope.cli.models.ModelLoader;
import dev.porescope.cli.serve.AnalysisService;
import dev.porescope.cli.serve.PoreServer;
import dev.porescope.cli.serve.ReviewSaver;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.pipeline.PoreAnalyzer;
import dev.porescope.core.synth.SkinSynthesizer;
import dev.porescope.core.synth.SynthConfig;
import dev.porescope.core.synth.SyntheticPhoto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code porescope bench serve}: photos per second, latency and memory of {@code porescope serve}
 * under N concurrent HTTP clients, beside {@code analyze}'s own path (PhotoAnalysis with the same
 * outputs and the same photos at a time) in this one process.
 */
@Command(name = "serve", sortOptions = false,
        description = {"Server benchmark: N concurrent clients POST photos to an in-process 'porescope serve' on a free port;"
                + " photos/s, p50/p95 latency and peak heap, beside the analyze path (PhotoAnalysis writing the same mask,"
                + " overlay, JSON, CSV and histogram) on the same photos in the same process.",
                "Without photos, synthetic skin photos of --size px are made. Latency is per photo, upload to answer."})
public final class BenchServeCommand implements Callable<Integer> {

    @Option(names = "--photo", arity = "1..*", paramLabel = "FILE", description = "Photos to send (default: synthetic ones).")
    List<Path> photos = new ArrayList<>();

    @Option(names = "--size", defaultValue = "1024", paramLabel = "PX", description = "Side of the synthetic photos (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--count", defaultValue = "4", paramLabel = "N", description = "Synthetic photos (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--clients", defaultValue = "4", paramLabel = "N", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--requests", defaultValue = "16", paramLabel = "N", description = "Photos sent in all (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--parallel", defaultValue = "2", paramLabel = "N",
            description = "Photos analysed at the same time, by the server and by the analyze path (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--model", paramLabel = "MODEL", description = "dog or a model file (default: the embedded model).")
    String model;

    @Mixin
    ImageOptions images;

    @Spec
    CommandSpec spec;

    /** One measured way of analysing the photos. */
    record Row(String label, int photos, int refused, double seconds, double[] latencies, long peakHeapBytes) {
        double photosPerSecond() { return photos / seconds; }
        double percentile(double p) {
            if (latencies.length == 0) return Double.NaN;
            double[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (clients < 1 || requests < 1 || parallel < 1 || count < 1 || size < 64) {
            throw new ParameterException(spec.commandLine(), "--clients, --requests, --parallel and --count must be at least 1,"
                    + " --size at least 64");
        }
        ImageFiles files = images.files();
        String modelName = model != null ? model : DefaultModel.embedded().resolve(err);
        ModelLoader.check(modelName);
        Path work = Files.createTempDirectory("porescope-bench-serve-");
        try {
            List<Path> inputs = photos.isEmpty() ? synthesize(work, err) : photos;
            List<Path> sequence = new ArrayList<>();
            for (int i = 0; i < requests; i++) sequence.add(inputs.get(i % inputs.size()));
            int threadsPerPhoto = Math.max(1, Runtime.getRuntime().availableProcessors() / parallel);
            err.println("porescope: " + requests + " photos (" + inputs.size() + " distinct), " + clients + " clients, "
                    + parallel + " at a time, " + threadsPerPhoto + " model threads each; model " + modelName);
            err.flush();
            Row analyze;
            Row serve;
            try (SegmentationModel loaded = ModelLoader.load(modelName, null)) {
                PhotoAnalysis job = new PhotoAnalysis(new PhotoAnalysis.Settings(
                        new PoreAnalyzer(loaded).withThreads(threadsPerPhoto), files, null, null, null, modelName, Map.of()));
                job.run(inputs.get(0), PhotoAnalysis.Outputs.none(), t -> { }); // warm-up
                analyze = runAnalyze(job, sequence, work.resolve("analyze"));
            }
            SegmentationModel served = ModelLoader.load(modelName, null);
            AnalysisService service = new AnalysisService(served, modelName, files, new AnalysisService.Limits(
                    512L << 20, Runtime.getRuntime().maxMemory() / 4 * 3, parallel, threadsPerPhoto, 600, 2 * clients + 4));
            try (PoreServer server = new PoreServer(service, new ReviewSaver(null))) {
                server.start("127.0.0.1", 0);
                post(server.port(), inputs.get(0)); // warm-up
                serve = runServe(server.port(), sequence);
            }
            print(out, List.of(analyze, serve));
        } finally {
            AnalysisService.deleteTree(work);
        }
        return 0;
    }

    private List<Path> synthesize(Path work, PrintWriter err) {
        err.println("porescope: making " + count + " synthetic photos of " + size + "x" + size + " px");
        err.flush();
        List<Path> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SyntheticPhoto p = new SkinSynthesizer(SynthConfig.defaults(size, size)).generate("bench-" + i, 100 + i);
            Path file = work.resolve("bench-" + i + ".png");
            PngFiles.writeArgb(new ArgbImage(size, size, p.argb()), file);
            made.add(file);
        }
        return made;
    }

    /** The analyze path: {@code parallel} workers, every output written, as 'analyze --out-dir' does. */
    private Row runAnalyze(PhotoAnalysis job, List<Path> sequence, Path outDir) throws Exception {
        resetPeaks();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<Double>> futures = new ArrayList<>();
        AtomicInteger n = new AtomicInteger();
        long start = System.nanoTime();
        for (Path photo : sequence) {
            futures.add(pool.submit(() -> {
                long t0 = System.nanoTime();
                job.run(photo, PhotoAnalysis.Outputs.in(outDir, "p" + n.incrementAndGet()), t -> { });
                return (System.nanoTime() - t0) / 1e9;
            }));
        }
        double[] latencies = new double[sequence.size()];
        for (int i = 0; i < futures.size(); i++) latencies[i] = futures.get(i).get();
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Row("analyze path, in process", sequence.size(), 0, seconds, latencies, peakHeap());
    }

    /** {@code clients} threads POST the photos; a 503 is counted and the photo sent again after Retry-After. */
    private Row runServe(int port, List<Path> sequence) throws Exception {
        resetPeaks();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < sequence.size(); i = next.getAndIncrement()) {
                    long t0 = System.nanoTime();
                    for (;;) {
                        HttpResponse<byte[]> r = post(port, sequence.get(i));
                        if (r.statusCode() == 200) break;
                        if (r.statusCode() != 503) {
                            throw new UserException("the server answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
                        }
                        refused.incrementAndGet();
                        Thread.sleep(1000L * Integer.parseInt(r.headers().firstValue("Retry-After").orElse("1")));
                    }
                    latencies.add((System.nanoTime() - t0) / 1e9);
                }
                return null;
            }));
        }
        for (Future<?> f : running) f.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        double[] l = latencies.stream().mapToDouble(Double::doubleValue).toArray();
        return new Row("porescope serve, " + clients + " HTTP clients", sequence.size(), refused.get(), seconds, l, peakHeap());
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<byte[]> post(int port, Path photo) throws IOException, InterruptedException {
        String boundary = "porescope-bench-" + Long.toHexString(System.nanoTime());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\""
                + photo.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(photo));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/analyze"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
        }
    }

    /** Sum of the heap pools' peaks since {@link #resetPeaks}: an upper bound of the peak heap in use. */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }

    private void print(PrintWriter out, List<Row> rows) {
        out.printf(Locale.ROOT, "| path | photos | photos/s | p50 latency | p95 latency | peak heap | 503 answers |%n");
        out.printf(Locale.ROOT, "|---|---:|---:|---:|---:|---:|---:|%n");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "| %s | %d | %.2f | %.2f s | %.2f s | %d MB | %d |%n", r.label(), r.photos(),
                    r.photosPerSecond(), r.percentile(0.5), r.percentile(0.95), r.peakHeapBytes() >> 20, r.refused());
        }
        out.printf(Locale.ROOT, "serve / analyze throughput: %.2fx; max heap %d MB; process peak RSS %s%n",
                rows.get(1).photosPerSecond() / rows.get(0).photosPerSecond(), Runtime.getRuntime().maxMemory() >> 20,
                peakRss());
        out.println("latency: analyze = one photo's analysis (all photos queued at once); serve = one request, upload to"
                + " answer, including its wait for one of the " + parallel + " analysis slots");
        out.println(BenchInferCommand.machine());
        out.flush();
    }

    private static String peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").strip()) / 1024 + " MB (both paths)";
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return "unknown";
    }
}
