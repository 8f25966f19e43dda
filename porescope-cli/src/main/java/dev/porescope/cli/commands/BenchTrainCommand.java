package dev.porescope.cli.commands;

import dev.porescope.cli.support.OptionValues;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.json.Json;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.nativ.Torch;
import dev.porescope.torch.UNetModule;
import dev.porescope.torch.train.InferenceProfile;
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

    @Option(names = "--infer-reps", converter = OptionValues.AtLeastOne.class, defaultValue = "5", paramLabel = "N",
            description = "Timed rounds of inference, each serving variant and the peak probes once a round (default: ${DEFAULT-VALUE}).")
    int inferReps;

    @Option(names = "--gemm", converter = OptionValues.AtLeastOne.class, defaultValue = "2048", paramLabel = "N",
            description = "Side of the fp32 matrix product timed in every round as the measured peak (default: ${DEFAULT-VALUE}).")
    int gemm;

    @Option(names = "--profile", description = "Also time each layer of the network (eager libtorch, NCHW and channels-last, passes interleaved).")
    boolean profile;

    @Option(names = "--no-train", description = "Skip the training step (inference only).")
    boolean noTrain;

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
        TrainBenchmark.Timing javaTrain = noTrain ? null : TrainBenchmark.trainSteps(unet, batch, patch, warmup, steps, 0.5);
        err.printf(Locale.ROOT, "porescope: timing %dx%d inference in Java, %d rounds beside a %dx%d matrix product%n",
                size, size, inferReps, gemm, gemm);
        InferenceRounds inference = inferenceRounds(unet);
        Map<?, ?> py = noPython ? null : python(unet, err);

        double macsStep = unet.macsPerPixel() * batch * patch * patch * 3; // forward + two backward products
        double macsInfer = unet.macsPerPixel() * size * size;
        out.printf(Locale.ROOT, "spec %s: %,d parameters, %,.0f multiply-adds per pixel; %d threads; CPU fp32 peak %.0f GFLOP/s (nominal)%n",
                unet.name(), unet.parameterCount(), unet.macsPerPixel(), threads, peakGflops);
        out.println("                                    Java (libtorch)   PyTorch-Python   Python/Java");
        double pyTrain = py == null ? Double.NaN : ((Number) py.get("train_median")).doubleValue();
        double pyInfer = py == null ? Double.NaN : ((Number) py.get("infer_median")).doubleValue();
        if (javaTrain != null) row(out, String.format(Locale.ROOT, "train step, s (median of %d)", steps), javaTrain.median(), pyTrain);
        TrainBenchmark.Probe frozen = inference.probes().get(UNetModule.Serving.FROZEN);
        row(out, String.format(Locale.ROOT, "inference %dx%d, s", size, size), inference.rounds().timing(frozen.name()).median(), pyInfer);
        if (javaTrain != null) {
            double gemmRate = inference.gemm().work() / inference.rounds().timing(inference.gemm().name()).median() / 1e9;
            out.printf(Locale.ROOT, "train: %.1f GFLOP/s in Java (%.0f%% of the nominal peak, %.0f%% of the matrix product's median"
                            + " measured after it)%s%n", 2 * macsStep / javaTrain.median() / 1e9,
                    100 * 2 * macsStep / javaTrain.median() / 1e9 / peakGflops, 100 * 2 * macsStep / javaTrain.median() / 1e9 / gemmRate,
                    Double.isNaN(pyTrain) ? "" : String.format(Locale.ROOT, ", %.1f GFLOP/s in Python", 2 * macsStep / pyTrain / 1e9));
        }
        out.printf(Locale.ROOT, "inference: %.2f GMAC per %dx%d image; medians of %d interleaved rounds; 'of GEMM': median of"
                + " each round's rate over that round's %dx%d matrix product rate%n", macsInfer / 1e9, size, size, inferReps, gemm, gemm);
        inferenceTable(out, inference);
        if (profile) {
            err.printf(Locale.ROOT, "porescope: timing each layer, %d passes per layout%n", inferReps);
            profileTable(out, unet);
        }
        if (py != null) {
            out.printf(Locale.ROOT, "Python: torch %s, %s threads%n", py.get("torch"), py.get("threads"));
        }
        // timings on a shared machine mean little without the load they were taken under
        out.printf(Locale.ROOT, "load average (1 min) before: %s, after: %s, on %d CPUs%n", loadBefore, loadAverage(),
                Runtime.getRuntime().availableProcessors());
        return 0;
    }

    /** The serving variants and the peak probes, and their interleaved rounds. */
    private record InferenceRounds(Map<UNetModule.Serving, TrainBenchmark.Probe> probes, TrainBenchmark.Probe gemm,
                                   List<TrainBenchmark.Probe> peaks, TrainBenchmark.Rounds rounds) { }

    private InferenceRounds inferenceRounds(UNetSpec unet) throws Exception {
        Map<UNetModule.Serving, TrainBenchmark.Probe> served = new java.util.EnumMap<>(UNetModule.Serving.class);
        List<TrainBenchmark.Probe> all = new ArrayList<>();
        try {
            TrainBenchmark.Probe mm = TrainBenchmark.gemm(gemm);
            all.add(mm);
            List<TrainBenchmark.Probe> peaks = List.of(mm, TrainBenchmark.costliestConv(unet, size, true),
                    TrainBenchmark.costliestConv(unet, size, false), TrainBenchmark.copy(256));
            all.addAll(peaks.subList(1, peaks.size()));
            for (UNetModule.Serving s : UNetModule.Serving.values()) {
                TrainBenchmark.Probe p = TrainBenchmark.inference(unet, size, s);
                served.put(s, p);
                all.add(p);
            }
            return new InferenceRounds(served, mm, peaks, TrainBenchmark.interleaved(all, 1, inferReps));
        } finally {
            for (TrainBenchmark.Probe p : all) p.close();
        }
    }

    private void inferenceTable(PrintWriter out, InferenceRounds r) {
        int width = r.probes().values().stream().mapToInt(p -> p.name().length()).max().orElse(40);
        out.printf(Locale.ROOT, "%-" + width + "s %8s %13s %8s %7s %8s %10s%n", "", "median s", "min-max", "GFLOP/s", "of peak", "of GEMM", "max |diff|");
        float[] reference = r.rounds().results().get(r.probes().get(UNetModule.Serving.FROZEN).name());
        List<TrainBenchmark.Probe> rows = new ArrayList<>(r.peaks());
        rows.addAll(r.probes().values());
        for (TrainBenchmark.Probe p : rows) {
            TrainBenchmark.Timing t = r.rounds().timing(p.name());
            double[] sorted = t.seconds().clone();
            java.util.Arrays.sort(sorted);
            boolean bytes = p.name().startsWith("copy");
            double rate = p.work() / t.median() / 1e9;
            float[] result = r.rounds().results().get(p.name());
            out.printf(Locale.ROOT, "%-" + width + "s %8.3f %13s %8s %7s %8s %10s%n", p.name(), t.median(),
                    String.format(Locale.ROOT, "%.3f-%.3f", sorted[0], sorted[sorted.length - 1]),
                    bytes ? String.format(Locale.ROOT, "%.1f GB/s", rate) : String.format(Locale.ROOT, "%.1f", rate),
                    bytes ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * rate / peakGflops),
                    bytes ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * r.rounds().medianRateRatio(p, r.gemm())),
                    result == null ? "-" : String.format(Locale.ROOT, "%.1e", maxAbsDifference(result, reference)));
        }
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

    private void profileTable(PrintWriter out, UNetSpec unet) throws Exception {
        Map<String, float[]> weights;
        try (UNetModule m = UNetModule.create(unet, 1)) {
            weights = m.weights();
        }
        float[] image = new float[size * size];
        java.util.SplittableRandom random = new java.util.SplittableRandom(2);
        for (int i = 0; i < image.length; i++) image[i] = (float) random.nextGaussian();
        InferenceProfile.Layout[] layouts = InferenceProfile.Layout.values();
        List<List<double[]>> seconds = new ArrayList<>();
        List<InferenceProfile.Net> nets = new ArrayList<>();
        double[] gemmSeconds = new double[inferReps];
        TrainBenchmark.Probe mm = TrainBenchmark.gemm(gemm);
        try {
            for (InferenceProfile.Layout l : layouts) {
                nets.add(new InferenceProfile.Net(unet, weights, l));
                seconds.add(new ArrayList<>());
            }
            int n = unet.layers().size();
            for (int round = -1; round < inferReps; round++) {
                long t0 = System.nanoTime();
                mm.run().get();
                if (round >= 0) gemmSeconds[round] = (System.nanoTime() - t0) / 1e9;
                for (int i = 0; i < layouts.length; i++) {
                    double[] s = new double[n];
                    nets.get(i).pass(image, size, s);
                    if (round >= 0) seconds.get(i).add(s);
                }
            }
        } finally {
            nets.forEach(InferenceProfile.Net::close);
            mm.resources().close();
        }
        List<List<InferenceProfile.LayerTime>> tables = new ArrayList<>();
        for (List<double[]> s : seconds) tables.add(InferenceProfile.summary(unet, size, s));
        out.printf(Locale.ROOT, "per layer at %dx%d (eager libtorch, BatchNorm folded; medians of %d passes; GB/s: activations"
                + " in and out plus weights, each once; the %dx%d matrix product in the same rounds: %.1f GFLOP/s):%n",
                size, size, inferReps, gemm, gemm, mm.work() / TrainBenchmark.Timing.of(gemmSeconds).median() / 1e9);
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-11s %-7s %9s %5s %8s", "layer", "kind", "channels", "res", "GMAC"));
        for (InferenceProfile.Layout l : layouts) {
            head.append(String.format(Locale.ROOT, " | %-13s %7s %6s", l.name().toLowerCase(Locale.ROOT).replace('_', '-') + ", s", "GFLOP/s", "GB/s"));
        }
        out.println(head);
        double[] totals = new double[layouts.length];
        for (int i = 0; i < unet.layers().size(); i++) {
            InferenceProfile.LayerTime first = tables.get(0).get(i);
            UNetSpec.Layer l = first.layer();
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-11s %-7s %9s %5s %8.3f", l.output(),
                    l.kind().name().toLowerCase(Locale.ROOT).replace("_", ""), l.inChannels() + ">" + l.outChannels(),
                    "1/" + l.scale(), first.macs() / 1e9));
            for (int k = 0; k < layouts.length; k++) {
                InferenceProfile.LayerTime t = tables.get(k).get(i);
                totals[k] += t.seconds();
                row.append(String.format(Locale.ROOT, " | %13.3f %7s %6.1f", t.seconds(),
                        t.macs() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", t.gflops()), t.gbPerSecond()));
            }
            out.println(row);
        }
        StringBuilder total = new StringBuilder(String.format(Locale.ROOT, "%-11s %-7s %9s %5s %8.3f", "sum", "", "", "",
                unet.macsPerPixel() * size * size / 1e9));
        for (double t : totals) {
            total.append(String.format(Locale.ROOT, " | %13.3f %7.1f %6s", t, 2 * unet.macsPerPixel() * size * size / t / 1e9, ""));
        }
        out.println(total);
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
