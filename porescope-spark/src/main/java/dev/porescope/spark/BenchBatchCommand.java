package dev.porescope.spark;

import dev.porescope.cli.Main;
import dev.porescope.cli.analyze.Zones;
import dev.porescope.cli.commands.BenchInferCommand;
import dev.porescope.cli.io.ArgbImage;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.io.PngFiles;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.synth.SkinSynthesizer;
import dev.porescope.core.synth.SynthConfig;
import dev.porescope.core.synth.SyntheticPhoto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code porescope bench batch}: photos per second of {@code analyze DIR} against {@code batch} on
 * {@code local[1]} and {@code local[2]}, on the same photos, one run each, in this JVM.
 */
@Command(name = "batch", sortOptions = false,
        description = "Photos per second: 'analyze DIR' against 'batch' on local[1] and local[2] (Apache Spark in-process),"
                + " the same photos, one run each; Spark's start-up is timed apart.")
public final class BenchBatchCommand implements Callable<Integer> {

    @Option(names = "--photos", paramLabel = "DIR", description = "Photos to use (default: synthetic ones, --count of --size px).")
    Path photos;

    @Option(names = "--count", defaultValue = "48", paramLabel = "N", description = "Synthetic photos (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--size", defaultValue = "512", paramLabel = "PX", description = "Side of the synthetic photos (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--model", paramLabel = "MODEL", description = "dog or an ONNX model file (default: the embedded network model).")
    String model;

    @Option(names = "--masters", split = ",", defaultValue = "local[1],local[2]", paramLabel = "URL,...",
            description = "Spark masters to time batch on (default: ${DEFAULT-VALUE}).")
    List<String> masters;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (count < 1 || size < 64) throw new UserException("--count must be >= 1 and --size >= 64 px");
        Path work = Files.createTempDirectory("porescope-bench-batch-");
        try {
            Path dir = photos != null ? photos : synthesize(work.resolve("photos"), err);
            long n;
            try (Stream<Path> files = Files.list(dir)) {
                n = files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g)")).count();
            }
            List<String[]> rows = new ArrayList<>();
            ModelPayload payload = ModelPayload.resolve(model, err);
            double warmUp = warmUp(dir, work, payload, err);

            err.println("porescope: timing analyze " + dir + " ...");
            List<String> args = new ArrayList<>(List.of("analyze", dir.toString(), "--zones", "none",
                    "--summary-csv", work.resolve("summary.csv").toString()));
            if (model != null) args.addAll(List.of("--model", model));
            ByteArrayOutputStream analyzeErr = new ByteArrayOutputStream();
            long t0 = System.nanoTime();
            int code = Main.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(analyzeErr, true, StandardCharsets.UTF_8), args.toArray(String[]::new));
            double analyzeSeconds = (System.nanoTime() - t0) / 1e9;
            if (code != 0) {
                throw new UserException("analyze failed on the bench photos: " + analyzeErr.toString(StandardCharsets.UTF_8).strip());
            }
            rows.add(new String[] {"analyze DIR (--parallel 2, all cores)", "-", fmt(analyzeSeconds), fmt(n / analyzeSeconds), "1.00x"});

            for (String master : masters) {
                err.println("porescope: timing batch on " + master + " ...");
                long s0 = System.nanoTime();
                try (Sessions.Started session = Sessions.start(master, "porescope bench batch")) {
                    if (!session.owned()) throw new UserException("a Spark session is already running; run bench batch on its own");
                    double startSeconds = (System.nanoTime() - s0) / 1e9;
                    PhotoBatch.Settings settings = new PhotoBatch.Settings(List.of(dir.toUri().toString()),
                            work.resolve("out-" + master.replaceAll("[^A-Za-z0-9]", "")).toUri().toString(),
                            "*.{png,jpg,jpeg,PNG,JPG,JPEG}", false, 1000, ImageFiles.DEFAULT_MAX_PIXELS, Zones.NONE);
                    PhotoBatch.Report r = new PhotoBatch(session.spark(), settings, payload, err, (stage, i, id) -> { }).run();
                    double rate = (r.ok() + r.failed()) / r.seconds();
                    rows.add(new String[] {"batch --master " + master, fmt(startSeconds), fmt(r.seconds()), fmt(rate),
                            String.format(Locale.ROOT, "%.2fx", rate / (n / analyzeSeconds))});
                }
            }
            out.printf(Locale.ROOT, "%d photos (%s), model %s, one run each%n", n,
                    photos != null ? dir.toString() : "synthetic, " + size + "x" + size + " px", payload.cardName());
            out.println("| run | Spark start-up, s | wall, s | photos/s | vs analyze |");
            out.println("|---|---:|---:|---:|---:|");
            for (String[] r : rows) out.println("| " + String.join(" | ", r) + " |");
            out.printf(Locale.ROOT, "untimed warm-up first (class loading, JIT, Spark's code generation: analyze and batch on"
                    + " %s on 2 photos): %.1f s%n", masters.get(0), warmUp);
            out.println(BenchInferCommand.machine() + ", Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION());
            out.flush();
            return 0;
        } finally {
            deleteTree(work);
        }
    }

    /** Analyze and one batch on 2 photos, untimed: what only the first run in a JVM pays. */
    private double warmUp(Path dir, Path work, ModelPayload payload, PrintWriter err) throws IOException {
        err.println("porescope: warming up (analyze, and batch on " + masters.get(0) + ", on 2 photos) ...");
        long t0 = System.nanoTime();
        Path two = Files.createDirectories(work.resolve("warm-up"));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().limit(2).toList()) Files.copy(p, two.resolve(p.getFileName()));
        }
        ByteArrayOutputStream ignored = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("analyze", two.toString(), "--zones", "none"));
        if (model != null) args.addAll(List.of("--model", model));
        Main.run(new PrintStream(ignored, true, StandardCharsets.UTF_8), new PrintStream(ignored, true, StandardCharsets.UTF_8),
                args.toArray(String[]::new));
        try (Sessions.Started session = Sessions.start(masters.get(0), "porescope bench batch warm-up")) {
            new PhotoBatch(session.spark(), new PhotoBatch.Settings(List.of(two.toUri().toString()),
                    work.resolve("out-warm-up").toUri().toString(), "*", false, 1000, ImageFiles.DEFAULT_MAX_PIXELS, Zones.NONE),
                    payload, new PrintWriter(new java.io.StringWriter()), (stage, i, id) -> { }).run();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private Path synthesize(Path dir, PrintWriter err) {
        err.println("porescope: writing " + count + " synthetic photos of " + size + "x" + size + " px ...");
        long[] seeds = new SplittableRandom(7).longs(count).toArray();
        for (int i = 0; i < count; i++) {
            SyntheticPhoto photo = new SkinSynthesizer(SynthConfig.defaults(size, size)).generate(String.format(Locale.ROOT, "bench-%04d", i), seeds[i]);
            PngFiles.writeArgb(new ArgbImage(photo.width(), photo.height(), photo.argb()), dir.resolve(photo.name() + ".png"));
        }
        return dir;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
