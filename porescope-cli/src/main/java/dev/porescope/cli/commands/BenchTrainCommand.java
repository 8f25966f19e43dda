package dev.porescope.cli.commands;

import dev.porescope.cli.support.OptionValues;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.json.Json;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.nativ.Torch;
import dev.porescope.torch.train.TrainBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.TimeUnit;

/**
 * {@code porescope bench train}: median seconds per training step (the trainer's own step: loss,
 * backward, Adam) and 512x512 inference time, for Java/libtorch and, in the same run, for
 * PyTorch-Python on the same network (the same layer list, the same loss).
 */
@Command(name = "train", sortOptions = false,
        description = "Median seconds per training step (batch x patch x patch) and per whole-image inference, Java"
                + " (libtorch) beside PyTorch-Python on the same network, with their ratio and the multiply-add rate"
                + " against the CPU's fp32 peak.")
public final class BenchTrainCommand implements Callable<Integer> {

    @Option(names = "--spec", defaultValue = "paper", paramLabel = "NAME", description = "Network spec (default: ${DEFAULT-VALUE}).")
    String specName;

    @Option(names = "--threads", converter = OptionValues.Threads.class, defaultValue = "2", paramLabel = "T", description = "Threads for both (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "N", description = "Patches per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--patch", defaultValue = "64", paramLabel = "PX", description = "Patch side (default: ${DEFAULT-VALUE}).")
    int patch;

    @Option(names = "--steps", defaultValue = "10", paramLabel = "N", description = "Timed steps after warm-up (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", paramLabel = "N", description = "Untimed warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--size", converter = OptionValues.AtLeastOne.class, defaultValue = "512", paramLabel = "PX", description = "Inference image side (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--infer-reps", defaultValue = "3", paramLabel = "N", description = "Timed inferences (default: ${DEFAULT-VALUE}).")
    int inferReps;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", paramLabel = "EXE", description = "Python with torch (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--no-python", description = "Measure Java only.")
    boolean noPython;

    @Option(names = "--peak-gflops", defaultValue = "166", paramLabel = "G", description = "CPU fp32 peak for the rate comparison (default: ${DEFAULT-VALUE}: 2 cores x 2.6 GHz x 32 flop/cycle).")
    double peakGflops;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        UNetSpec unet = TrainCommand.spec(specName);
        if (patch % unet.sizeMultiple() != 0 || size % unet.sizeMultiple() != 0) {
            throw new UserException("--patch and --size must be multiples of " + unet.sizeMultiple() + " for spec " + unet.name());
        }
        Torch.init(threads);
        String loadBefore = loadAverage();
        err.printf(Locale.ROOT, "porescope: timing %s in Java (libtorch, %d threads): %d+%d steps of %d x %dx%d%n",
                unet.name(), Torch.threads(), warmup, steps, batch, patch, patch);
        TrainBenchmark.Timing javaTrain = TrainBenchmark.trainSteps(unet, batch, patch, warmup, steps, 0.5);
        err.printf(Locale.ROOT, "porescope: timing %dx%d inference in Java%n", size, size);
        TrainBenchmark.Timing javaInfer = TrainBenchmark.inference(unet, size, 1, inferReps, false);
        TrainBenchmark.Timing javaInferOpt = TrainBenchmark.inference(unet, size, 1, inferReps, true);
        Map<?, ?> py = noPython ? null : python(unet, err);

        double macsStep = unet.macsPerPixel() * batch * patch * patch * 3; // forward + two backward products
        double macsInfer = unet.macsPerPixel() * size * size;
        out.printf(Locale.ROOT, "spec %s: %,d parameters, %,.0f multiply-adds per pixel; %d threads; CPU fp32 peak %.0f GFLOP/s%n",
                unet.name(), unet.parameterCount(), unet.macsPerPixel(), threads, peakGflops);
        out.println("                                    Java (libtorch)   PyTorch-Python   Python/Java");
        double pyTrain = py == null ? Double.NaN : ((Number) py.get("train_median")).doubleValue();
        double pyInfer = py == null ? Double.NaN : ((Number) py.get("infer_median")).doubleValue();
        row(out, String.format(Locale.ROOT, "train step, s (median of %d)", steps), javaTrain.median(), pyTrain);
        row(out, String.format(Locale.ROOT, "inference %dx%d, s", size, size), javaInfer.median(), pyInfer);
        row(out, "  same, optimize_for_inference, s", javaInferOpt.median(), Double.NaN);
        out.printf(Locale.ROOT, "train: %.1f GFLOP/s in Java (%.0f%% of peak)%s%n", 2 * macsStep / javaTrain.median() / 1e9,
                100 * 2 * macsStep / javaTrain.median() / 1e9 / peakGflops,
                Double.isNaN(pyTrain) ? "" : String.format(Locale.ROOT, ", %.1f GFLOP/s in Python", 2 * macsStep / pyTrain / 1e9));
        double bestInfer = Math.min(javaInfer.median(), javaInferOpt.median());
        out.printf(Locale.ROOT, "inference: %.2f GMAC per %dx%d image, %.1f GMAC/s = %.1f GFLOP/s in Java (%.0f%% of peak)%n",
                macsInfer / 1e9, size, size, macsInfer / bestInfer / 1e9, 2 * macsInfer / bestInfer / 1e9,
                100 * 2 * macsInfer / bestInfer / 1e9 / peakGflops);
        if (py != null) {
            out.printf(Locale.ROOT, "Python: torch %s, %s threads%n", py.get("torch"), py.get("threads"));
        }
        // timings on a shared machine mean little without the load they were taken under
        out.printf(Locale.ROOT, "load average (1 min) before: %s, after: %s, on %d CPUs%n", loadBefore, loadAverage(),
                Runtime.getRuntime().availableProcessors());
        return 0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static void row(PrintWriter out, String what, double java, double python) {
        out.printf(Locale.ROOT, "%-36s %14.3f   %14s   %11s%n", what, java,
                Double.isNaN(python) ? "-" : String.format(Locale.ROOT, "%.3f", python),
                Double.isNaN(python) ? "-" : String.format(Locale.ROOT, "%.2f", python / java));
    }

    /** Runs the bundled Python script on the same layer list; null (with a note) when Python or torch is missing. */
    private Map<?, ?> python(UNetSpec unet, PrintWriter err) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(python))) {
            err.println("porescope: " + python + " not found; measuring Java only (install python3-torch or give --python)");
            return null;
        }
        Path dir = Files.createTempDirectory("porescope-bench-");
        try {
            Path script = dir.resolve("bench_train.py");
            try (InputStream in = BenchTrainCommand.class.getResourceAsStream("/dev/porescope/cli/bench/bench_train.py")) {
                if (in == null) throw new IllegalStateException("bench_train.py missing from the jar");
                Files.copy(in, script);
            }
            Map<String, Object> specJson = new LinkedHashMap<>();
            specJson.put("layers", unet.layers());
            specJson.put("parameters", unet.parameters());
            specJson.put("leakySlope", unet.leakySlope());
            Path specFile = dir.resolve("spec.json");
            Files.writeString(specFile, Json.write(specJson), StandardCharsets.UTF_8);
            err.printf(Locale.ROOT, "porescope: timing the same network in PyTorch-Python (%s)%n", python);
            List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--spec", specFile.toString(),
                    "--threads", String.valueOf(threads), "--batch", String.valueOf(batch), "--patch", String.valueOf(patch),
                    "--warmup", String.valueOf(warmup), "--steps", String.valueOf(steps), "--size", String.valueOf(size),
                    "--infer-reps", String.valueOf(inferReps)));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                err.println("porescope: the Python benchmark failed (exit " + p.exitValue() + "); measuring Java only");
                return null;
            }
            String last = stdout.strip().lines().reduce((a, b) -> b).orElse("{}");
            return Json.read(last, Map.class);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }
}
