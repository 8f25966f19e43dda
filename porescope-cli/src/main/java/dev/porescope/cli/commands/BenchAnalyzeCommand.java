package dev.porescope.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porescope.cli.bench.MachineLoad;
import dev.porescope.cli.models.DefaultModel;
import dev.porescope.cli.models.ModelLoader;
import dev.porescope.cli.support.Launcher;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.image.Plane;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.pipeline.PoreAnalyzer;
import dev.porescope.core.synth.SkinSynthesizer;
import dev.porescope.core.synth.SynthConfig;
import dev.porescope.core.synth.SyntheticPhoto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code porescope bench analyze}: one synthetic skin photo of a given size through the real
 * {@code analyze} command, stage by stage, beside the network alone on the same photo (the model on
 * one 512x512 crop, the runtime's best rate, scaled to the photo's pixels), interleaved in one run
 * so that the machine's load hits both alike; then the memory of a fresh {@code analyze} JVM with the
 * heap cap of {@code bin/porescope}.
 */
@Command(name = "analyze", sortOptions = false,
        description = {"End-to-end benchmark of 'porescope analyze' on a synthetic skin photo (JPEG, 4:3): per stage the"
                + " median time over the repeats (and min-max), the network alone on the same photo (its best rate on a"
                + " 512x512 crop, scaled to the photo's pixels), the ratio of the two, and memory (peak resident set and"
                + " peak heap of a fresh JVM that runs analyze with the heap cap and collector of bin/porescope analyze)."})
public final class BenchAnalyzeCommand implements Callable<Integer> {

    /** Side of the crop the network alone is timed on (the size 'bench infer' reports by default). */
    static final int NETWORK_SIDE = 512;

    @Option(names = "--size", defaultValue = "12", paramLabel = "MP", description = "Photo size in megapixels, 4:3 (default: ${DEFAULT-VALUE}).")
    double megapixels;

    @Option(names = "--outputs", defaultValue = "all", paramLabel = "all|json",
            description = "all: mask, overlay, CSV, histogram and JSON (--out-dir); json: the JSON only (default: ${DEFAULT-VALUE}).")
    String outputs;

    @Option(names = "--repeats", defaultValue = "3", paramLabel = "N", description = "Timed analyses (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--model", paramLabel = "MODEL", description = "Model (default: the embedded default model, as analyze).")
    String model;

    @Option(names = "--variant", paramLabel = "OPTIONS",
            description = "Options for analyze, one variant each time given (e.g. --variant='--tile 1024' --variant='--threads 1');"
                    + " the variants run interleaved, side by side. Default: analyze's defaults.")
    List<String> variants = new ArrayList<>();

    @Option(names = "--memory", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Measure the memory of the first variant in a fresh JVM (default: ${DEFAULT-VALUE}).")
    boolean memory;

    @Option(names = "--seed", defaultValue = "7", paramLabel = "S", description = "Seed of the synthetic photo (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!(megapixels >= 0.1 && megapixels <= 50)) throw new UserException("--size must be between 0.1 and 50 megapixels, got " + megapixels);
        if (repeats < 1) throw new UserException("--repeats must be at least 1, got " + repeats);
        if (!outputs.equals("all") && !outputs.equals("json")) throw new UserException("--outputs must be all or json, got " + outputs);
        String modelName = model != null ? model : DefaultModel.embedded().resolve(err);
        ModelLoader.check(modelName);
        int width = (int) Math.round(Math.sqrt(megapixels * 1e6 * 4 / 3) / 16) * 16;
        int height = width * 3 / 4;

        Path dir = null;
        try {
            dir = Files.createTempDirectory("porescope-bench-analyze-");
            err.printf(Locale.ROOT, "porescope: making a %dx%d synthetic skin photo ...%n", width, height);
            err.flush();
            long synth0 = System.nanoTime();
            SyntheticPhoto synthetic = new SkinSynthesizer(SynthConfig.defaults(width, height)).generate(seed);
            double synthSeconds = (System.nanoTime() - synth0) / 1e9;
            Path photo = dir.resolve("skin.jpg");
            writeJpeg(synthetic.argb(), width, height, photo);
            Plane crop = crop(synthetic.luma(), NETWORK_SIDE);
            synthetic = null;
            String synthesis = synthesisLine(width, height, synthSeconds);

            if (variants.isEmpty()) variants.add("");
            List<List<String>> args = new ArrayList<>();
            for (String v : variants) args.add(analyzeArgs(photo, dir.resolve("out"), modelName, v));
            MachineLoad load = MachineLoad.start();
            List<List<Map<String, Double>>> runs = new ArrayList<>();
            for (int v = 0; v < variants.size(); v++) runs.add(new ArrayList<>());
            double[] network = new double[repeats];
            double[] networkCpu = new double[repeats];
            try (SegmentationModel loaded = ModelLoader.load(modelName, null)) {
                PoreAnalyzer analyzer = new PoreAnalyzer(loaded);
                Plane input = analyzer.preprocess(crop);
                loaded.predict(input); // warm-up
                runAnalyze(args.get(0)); // warm-up (class loading, JIT)
                for (int r = 0; r < repeats; r++) {
                    network[r] = networkSeconds(loaded, input, networkCpu, r);
                    for (int k = 0; k < variants.size(); k++) {
                        int v = (k + r) % variants.size(); // rotated, so that drift hits every variant alike
                        runs.get(v).add(runAnalyze(args.get(v)));
                    }
                    err.printf(Locale.ROOT, "porescope: round %d of %d done (network alone %.2f s for the photo)%n", r + 1, repeats,
                            network[r] * (double) width * height / ((double) NETWORK_SIDE * NETWORK_SIDE));
                    err.flush();
                }
            }
            MachineLoad.Usage usage = load.stop();
            List<AnalyzeProbe.Result> mem = new ArrayList<>();
            for (int v = 0; v < args.size(); v++) mem.add(memory && v == 0 ? AnalyzeProbe.measure(args.get(v)) : null);
            print(out, width, height, modelName, runs, network, networkCpu, usage, mem, synthesis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) BenchInferCommand.deleteTree(dir);
        }
        return 0;
    }

    private List<String> analyzeArgs(Path photo, Path outDir, String modelName, String variant) {
        List<String> a = new ArrayList<>(List.of("analyze", photo.toString(), "--model", modelName));
        if (outputs.equals("all")) {
            a.addAll(List.of("--out-dir", outDir.toString()));
        } else {
            a.addAll(List.of("--json", outDir.resolve("skin.json").toString()));
        }
        // a synthetic skin close-up has no face: the whole photo, unless a variant asks for zones itself
        if (!variant.contains("--zones")) a.addAll(List.of("--zones", "none"));
        if (!variant.isBlank()) a.addAll(List.of(variant.strip().split("\\s+")));
        return a;
    }

    /** One analyze run in this JVM; its stage timings from its JSON. */
    private static Map<String, Double> runAnalyze(List<String> args) {
        Path outDir = Path.of(args.get(args.indexOf(args.contains("--out-dir") ? "--out-dir" : "--json") + 1));
        Path json = args.contains("--out-dir") ? outDir.resolve("skin.json") : outDir;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        long cpu0 = cpuNanos();
        int code;
        PrintStream stderr = System.err;
        try (PrintStream sink = new PrintStream(captured, true)) {
            System.setErr(sink); // analyze's progress bar writes to System.err
            code = Launcher.run(List.of(AnalyzeCommand::new), sink, sink, cl -> { }, args.toArray(String[]::new));
        } finally {
            System.setErr(stderr);
        }
        if (code != 0) throw new UserException("analyze failed (exit " + code + "): " + captured.toString().strip());
        JsonNode timings = Json.read(readString(json), JsonNode.class).get("timings_ms");
        Map<String, Double> t = new LinkedHashMap<>();
        timings.fields().forEachRemaining(e -> t.put(e.getKey(), e.getValue().asDouble()));
        t.put(CPU, (cpuNanos() - cpu0) / 1e6); // the whole command, model loading included
        return t;
    }

    /** Key of the CPU time (all threads of this JVM) in a run's timings. */
    static final String CPU = "cpu (all threads)";

    /** Median seconds of one inference on the crop, over 5 calls; {@code cpu[round]} gets the mean CPU seconds of one. */
    private static double networkSeconds(SegmentationModel model, Plane input, double[] cpu, int round) {
        double[] s = new double[5];
        long cpu0 = cpuNanos();
        for (int i = 0; i < s.length; i++) {
            long t0 = System.nanoTime();
            model.predict(input);
            s[i] = (System.nanoTime() - t0) / 1e9;
        }
        cpu[round] = (cpuNanos() - cpu0) / 1e9 / s.length;
        return BenchInferCommand.median(s);
    }

    /** CPU time of this JVM, all threads. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private void print(PrintWriter out, int width, int height, String modelName, List<List<Map<String, Double>>> runs,
                       double[] network, double[] networkCpu, MachineLoad.Usage usage, List<AnalyzeProbe.Result> mem,
                       String synthesis) {
        double scale = (double) width * height / ((double) NETWORK_SIDE * NETWORK_SIDE);
        double[] networkPhoto = Arrays.stream(network).map(s -> s * scale).toArray();
        double networkMedian = BenchInferCommand.median(networkPhoto);
        out.println(BenchInferCommand.machine());
        out.printf(Locale.ROOT, "during the timed runs: this JVM used %.2f cores, the rest of the machine %.2f of %d cores%n",
                usage.ownCores(), usage.otherCores(), Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "photo %dx%d (%.1f MP, synthetic skin JPEG), model %s, outputs %s; median of %d rounds"
                        + " (after a warm-up), each round: the network alone, then every variant (rotated order)%n",
                width, height, width * (double) height / 1e6, modelName,
                outputs.equals("all") ? "all (mask, overlay, CSV, histogram, JSON)" : "JSON only", repeats);
        double networkCpuPhoto = BenchInferCommand.median(networkCpu) * scale;
        out.printf(Locale.ROOT, "network alone: %.1f ms per %dx%d input -> %.2f s for the photo (min %.2f, max %.2f); CPU time %.2f s%n%n",
                BenchInferCommand.median(network) * 1e3, NETWORK_SIDE, NETWORK_SIDE, networkMedian,
                Arrays.stream(networkPhoto).min().orElse(0), Arrays.stream(networkPhoto).max().orElse(0), networkCpuPhoto);
        StringBuilder head = new StringBuilder("| stage |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String v : variants) {
            head.append(' ').append(v.isBlank() ? "analyze defaults" : v.strip()).append(" |");
            rule.append("---:|");
        }
        out.println(head);
        out.println(rule);
        for (String stage : runs.get(0).get(0).keySet()) {
            StringBuilder row = new StringBuilder("| " + (stage.equals("total") ? "**total**" : stage) + " |");
            for (List<Map<String, Double>> variant : runs) {
                double[] v = variant.stream().mapToDouble(r -> r.getOrDefault(stage, Double.NaN) / 1000).toArray();
                row.append(String.format(Locale.ROOT, " %.2f s (%.2f-%.2f) |", BenchInferCommand.median(v),
                        Arrays.stream(v).min().orElse(0), Arrays.stream(v).max().orElse(0)));
            }
            out.println(row);
        }
        StringBuilder ratio = new StringBuilder("| **total / network alone** |");
        StringBuilder memRow = new StringBuilder("| memory: peak RSS / peak heap |");
        for (int k = 0; k < runs.size(); k++) {
            List<Map<String, Double>> variant = runs.get(k);
            double[] ratios = new double[variant.size()];
            for (int i = 0; i < ratios.length; i++) ratios[i] = variant.get(i).get("total") / 1000 / networkPhoto[i];
            ratio.append(String.format(Locale.ROOT, " **%.2fx** (%.2f-%.2f) |", BenchInferCommand.median(ratios),
                    Arrays.stream(ratios).min().orElse(0), Arrays.stream(ratios).max().orElse(0)));
            AnalyzeProbe.Result m = mem.get(k);
            memRow.append(m == null ? " n/a |" : String.format(Locale.ROOT, " %.0f MB / %.0f MB |", m.peakRssBytes() / 1e6, m.peakHeapBytes() / 1e6));
        }
        StringBuilder cpuRatio = new StringBuilder("| CPU time / network alone's |");
        for (List<Map<String, Double>> variant : runs) {
            double cpu = BenchInferCommand.median(variant.stream().mapToDouble(r -> r.get(CPU) / 1000).toArray());
            cpuRatio.append(String.format(Locale.ROOT, " %.2fx |", cpu / networkCpuPhoto));
        }
        out.println(ratio);
        out.println(cpuRatio);
        if (memory) out.println(memRow);
        out.println();
        out.println(synthesis);
        out.printf(Locale.ROOT, "%nratio: each round's total over that round's network-alone time; CPU time: the whole analyze"
                + " command (model loading included, all threads) over the network alone's on the photo (robust to a busy"
                + " machine, where wall times are not); memory: a fresh JVM with bin/porescope analyze's"
                + " options (" + String.join(" ", AnalyzeProbe.jvmOptions()) + ") runs the first variant once (peak heap use sampled every 10 ms)%n");
        out.flush();
    }

    /** Side of the photos the synthesizer is timed on; half this side is the small one. */
    static final int SYNTH_SIDE = 512;

    /**
     * The synthesizer's speed: the photo above (made once, the JVM cold) and, warm, the median of 5
     * photos at {@value #SYNTH_SIDE} px a side against 5 at half that side, interleaved; their cost per
     * pixel near 1x means linear in the pixels (a quadratic loop would show 4x).
     */
    private String synthesisLine(int width, int height, double seconds) {
        int half = SYNTH_SIDE / 2;
        new SkinSynthesizer(SynthConfig.defaults(half, half)).generate(seed); // warm-up
        double[] small = new double[5];
        double[] large = new double[5];
        for (int i = 0; i < small.length; i++) {
            small[i] = synthSeconds(half, seed + 1 + i);
            large[i] = synthSeconds(SYNTH_SIDE, seed + 1 + i);
        }
        double bigMp = width * (double) height / 1e6;
        double smallMedian = BenchInferCommand.median(small);
        double largeMedian = BenchInferCommand.median(large);
        return String.format(Locale.ROOT, "synthetic skin: the %.1f MP photo took %.2f s (one run, cold JVM); warm, %dx%d %.0f ms"
                        + " (%.0f-%.0f) and %dx%d %.0f ms (%.0f-%.0f), medians of 5; cost per pixel, %d / %d: %.2fx (1 = linear)",
                bigMp, seconds, half, half, smallMedian * 1e3, min(small) * 1e3, max(small) * 1e3,
                SYNTH_SIDE, SYNTH_SIDE, largeMedian * 1e3, min(large) * 1e3, max(large) * 1e3, SYNTH_SIDE, half,
                largeMedian / smallMedian / 4);
    }

    private static double synthSeconds(int side, long seed) {
        long t0 = System.nanoTime();
        new SkinSynthesizer(SynthConfig.defaults(side, side)).generate(seed);
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    private static Plane crop(Plane luma, int side) {
        int x0 = (luma.width() - side) / 2;
        int y0 = (luma.height() - side) / 2;
        if (x0 < 0 || y0 < 0) throw new UserException("the photo is smaller than " + side + " px; give a larger --size");
        Plane c = new Plane(side, side);
        for (int y = 0; y < side; y++) {
            System.arraycopy(luma.values(), (y0 + y) * luma.width() + x0, c.values(), y * side, side);
        }
        return c;
    }

    private static void writeJpeg(int[] argb, int width, int height, Path file) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        System.arraycopy(argb, 0, ((DataBufferInt) image.getRaster().getDataBuffer()).getData(), 0, argb.length);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.92f); // a phone camera's usual quality
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
