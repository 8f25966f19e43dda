package dev.porescope.cli.commands;

import dev.porescope.cli.bench.MemoryProbe;
import dev.porescope.cli.export.Exporter;
import dev.porescope.cli.export.ModelInputs;
import dev.porescope.cli.models.ModelLoader;
import dev.porescope.cli.support.OptionValues;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.modelfile.ModelFileKind;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.onnx.Precision;
import dev.porescope.ort.OnnxModel;
import dev.porescope.torch.TorchModel;
import dev.porescope.torch.UNetModule;
import dev.porescope.torch.nativ.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code porescope bench infer}: inference speed and memory of model files, or of random-weight
 * models of given specs exported on the fly to every format, all in one run, with ratios to the
 * server {@code .pt} of the same spec.
 */
@Command(name = "infer", sortOptions = false,
        description = {"Inference benchmark: median latency of one SIZExSIZE inference (after a warm-up, repeats"
                + " interleaved across the models), megapixels/s, multiply-adds/s, file size and peak memory per model,"
                + " with ratios to the server .pt model of the same spec.",
                "Peak memory: a fresh JVM per model loads it and runs one inference; the table gives its peak resident set"
                        + " (VmHWM) minus its resident set before loading (libraries, runtime arenas, weights, activations)."})
public final class BenchInferCommand implements Callable<Integer> {

    @Option(names = "--model", arity = "1..*", paramLabel = "FILE", description = "Model files (.pt, .ptl, .onnx, .ort).")
    List<String> models = new ArrayList<>();

    @Option(names = "--spec", split = ",", paramLabel = "NAME",
            description = "Also benchmark random-weight models of these specs, exported to a temporary folder as .pt, .ptl"
                    + " and fp32/fp16/int8 .onnx (int8 calibrated on synthetic photos); e.g. paper,slim.")
    List<String> specs = new ArrayList<>();

    @Option(names = "--size", converter = OptionValues.AtLeastOne.class, defaultValue = "512", paramLabel = "PX", description = "Input side (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--repeats", converter = OptionValues.AtLeastOne.class, defaultValue = "7", paramLabel = "N", description = "Timed inferences per model (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--threads", converter = OptionValues.Threads.class, defaultValue = "2", paramLabel = "T", description = "Intra-op threads of every runtime (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the random weights and the input (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    /** One model under test. */
    record Candidate(String label, Path file, ModelCard card) { }

    /** What was measured for one model. */
    record Row(Candidate candidate, long bytes, double medianSeconds, long peakBytes) {
        double megapixelsPerSecond(int size) { return (double) size * size / 1e6 / medianSeconds; }
        double macsPerSecond(int size) { return candidate.card().spec().macsPerPixel() * size * size / medianSeconds; }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (models.isEmpty() && specs.isEmpty()) throw new UserException("give --model FILE... and/or --spec NAME,...");
        if (repeats < 1) throw new UserException("--repeats must be at least 1, got " + repeats);
        if (threads < 1) throw new UserException("--threads must be at least 1, got " + threads);
        if (size < 16 || size > 8192) throw new UserException("--size must be between 16 and 8192 px, got " + size);
        List<UNetSpec> unets = new ArrayList<>();
        for (String name : specs) {
            try {
                unets.add(UNetSpec.named(name.strip()));
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
        }
        for (String m : models) ModelLoader.check(m);
        Torch.init(threads);

        Path tmp = null;
        try {
            List<Candidate> candidates = new ArrayList<>();
            for (String m : models) candidates.add(new Candidate(Path.of(m).getFileName().toString(), Path.of(m), null));
            if (!unets.isEmpty()) {
                tmp = Files.createTempDirectory("porescope-bench-");
                for (UNetSpec unet : unets) candidates.addAll(exportAll(unet, tmp, err));
            }
            List<Row> rows = measure(candidates, err);
            printTable(out, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tmp != null) deleteTree(tmp);
        }
        return 0;
    }

    /** A random-weight server model of {@code unet} and its exports: .pt, .ptl, fp32/fp16/int8 .onnx. */
    private List<Candidate> exportAll(UNetSpec unet, Path dir, PrintWriter err) {
        ModelCard card = new ModelCard(ModelCard.FORMAT, unet.name(), unet, Preprocessing.standard(), 0.5, 4,
                ModelCard.RUNTIME_TORCHSCRIPT, ModelCard.FP32, null, seed, 0, Map.of(), Map.of(), List.of(), Map.of("note", "random weights (bench infer)"));
        Path pt = dir.resolve(unet.name() + ".pt");
        try (UNetModule module = UNetModule.create(unet, seed)) {
            module.save(pt, card);
        }
        List<Candidate> out = new ArrayList<>();
        out.add(new Candidate(unet.name() + ".pt", pt, card));
        err.println("porescope: exporting " + unet.name() + " to .ptl and fp32/fp16/int8 .onnx ...");
        err.flush();
        Path ptl = dir.resolve(unet.name() + ".ptl");
        Exporter.ptl(pt, ptl);
        out.add(new Candidate(unet.name() + ".ptl", ptl, null));
        List<Plane> calibration = ModelInputs.synthetic(4, 256, seed, card);
        try (TorchModel server = TorchModel.load(pt)) {
            for (Precision p : Precision.values()) {
                Path onnx = dir.resolve(unet.name() + "-" + p.label() + ".onnx");
                Exporter.onnx(server, p, calibration, onnx, false);
                out.add(new Candidate(onnx.getFileName().toString(), onnx, null));
            }
        }
        return out;
    }

    private List<Row> measure(List<Candidate> candidates, PrintWriter err) {
        // memory: a fresh JVM per model, so that pages kept from an earlier model cannot hide a later one's
        long[] peak = new long[candidates.size()];
        ModelCard[] cards = new ModelCard[candidates.size()];
        Map<Integer, Plane> inputs = new LinkedHashMap<>();
        err.printf(Locale.ROOT, "porescope: measuring peak memory, one child JVM per model%n");
        err.flush();
        for (int i = 0; i < candidates.size(); i++) {
            MemoryProbe.Result r = MemoryProbe.measure(candidates.get(i).file(), size, threads);
            peak[i] = r == null ? -1 : r.deltaBytes();
        }
        // latency: all loaded, warm-up, then interleaved rounds (rotated order) so that drift hits all alike
        List<SegmentationModel> loaded = new ArrayList<>();
        double[][] seconds = new double[candidates.size()][repeats];
        try {
            for (Candidate c : candidates) loaded.add(load(c.file()));
            for (int i = 0; i < loaded.size(); i++) {
                cards[i] = loaded.get(i).card();
                loaded.get(i).predict(input(inputs, loaded.get(i)));
            }
            err.printf(Locale.ROOT, "porescope: timing %d models x %d repeats of a %dx%d inference on %d threads%n",
                    loaded.size(), repeats, size, size, threads);
            err.flush();
            for (int r = 0; r < repeats; r++) {
                for (int k = 0; k < loaded.size(); k++) {
                    int i = (k + r) % loaded.size();
                    SegmentationModel m = loaded.get(i);
                    Plane x = input(inputs, m);
                    long t0 = System.nanoTime();
                    m.predict(x);
                    seconds[i][r] = (System.nanoTime() - t0) / 1e9;
                }
            }
        } finally {
            for (SegmentationModel m : loaded) m.close();
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            rows.add(new Row(new Candidate(c.label(), c.file(), cards[i]), size(c.file()), median(seconds[i]), peak[i]));
        }
        return rows;
    }

    /** The model, with ONNX Runtime on {@link #threads} intra-op threads. */
    private SegmentationModel load(Path file) {
        ModelFileKind kind = ModelFileKind.ofName(file.getFileName().toString());
        if (kind != null && kind.onnxRuntime()) {
            ModelLoader.check(file.toString());
            return ModelLoader.onnxModel(file, threads);
        }
        return ModelLoader.load(file.toString(), null);
    }

    /** One preprocessed synthetic photo per size multiple (the same photo for every model). */
    private Plane input(Map<Integer, Plane> inputs, SegmentationModel model) {
        int m = model.sizeMultiple();
        if (size % m != 0) {
            throw new UserException("--size " + size + " is not a multiple of " + m + ", which model " + model.card().name() + " needs");
        }
        return inputs.computeIfAbsent(0, k -> ModelInputs.synthetic(1, size, seed, model.card()).get(0));
    }

    private void printTable(PrintWriter out, List<Row> rows) {
        out.printf(Locale.ROOT, "%s%n", machine());
        out.printf(Locale.ROOT, "%dx%d input; ONNX Runtime %d intra-op thread%s, libtorch %d; median of %d (after a warm-up);"
                        + " peak memory = peak RSS of a fresh JVM that loads the model and runs one inference, minus its RSS before loading%n%n",
                size, size, threads, threads == 1 ? "" : "s", Torch.threads(), repeats);
        out.println("| model | spec | runtime | precision | size | median latency | MP/s | GMAC/s | peak memory | speed vs .pt | size vs .pt |");
        out.println("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Row r : rows) {
            ModelCard card = r.candidate().card();
            Row server = rows.stream().filter(o -> o.candidate().card().spec().equals(card.spec())
                    && ModelCard.RUNTIME_TORCHSCRIPT.equals(o.candidate().card().runtime())).findFirst().orElse(null);
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %.1f ms | %.2f | %.2f | %s | %s | %s |%n",
                    r.candidate().label(), card.spec().name(), card.runtime(), card.precision(), megabytes(r.bytes()),
                    r.medianSeconds() * 1e3, r.megapixelsPerSecond(size), r.macsPerSecond(size) / 1e9,
                    r.peakBytes() < 0 ? "n/a" : megabytes(r.peakBytes()),
                    server == null ? "-" : String.format(Locale.ROOT, "%.2fx", server.medianSeconds() / r.medianSeconds()),
                    server == null ? "-" : String.format(Locale.ROOT, "%.2fx", (double) r.bytes() / server.bytes()));
        }
        out.flush();
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Cores, CPU model and load average, so that a table says what it was measured on. */
    public static String machine() {
        String cpu = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(cpu);
        } catch (IOException | UncheckedIOException ignored) {
            // not Linux: keep "unknown CPU"
        }
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String loadText;
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            loadText = parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            loadText = load < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", load);
        }
        return String.format(Locale.ROOT, "machine: %d cores, %s, load average %s, Java %s", Runtime.getRuntime().availableProcessors(),
                cpu, loadText, System.getProperty("java.version"));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
