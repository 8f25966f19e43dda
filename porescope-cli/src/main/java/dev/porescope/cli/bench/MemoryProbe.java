package dev.porescope.cli.bench;

import dev.porescope.cli.models.ModelLoader;
import dev.porescope.core.image.Plane;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.modelfile.ModelFileKind;
import dev.porescope.torch.nativ.Torch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Peak memory of one model, measured in a fresh JVM so that no other model's freed-but-kept pages
 * hide it: the child loads the model, runs one SIZExSIZE inference and prints its resident set
 * before loading and its peak resident set (VmHWM) after. Linux only (/proc/self/status).
 */
public final class MemoryProbe {
    private MemoryProbe() { }

    /**
     * @param rssBeforeBytes resident set of the child JVM before it loads the model
     * @param peakBytes      peak resident set of the child after loading and one inference
     */
    public record Result(long rssBeforeBytes, long peakBytes) {
        public long deltaBytes() { return peakBytes - rssBeforeBytes; }
    }

    /** Runs the probe for {@code model} in a child JVM; null when it cannot be measured here. */
    public static Result measure(Path model, int size, int threads) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                MemoryProbe.class.getName(), model.toString(), Integer.toString(size), Integer.toString(threads)));
        String[] parts = childReport(command, 3);
        return parts == null ? null : new Result(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
    }

    /**
     * Runs a child JVM command and returns the words of its last output line when that line starts
     * with {@code memory} and has {@code words} words; null when the child failed or said otherwise.
     */
    public static String[] childReport(List<String> command, int words) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) return null;
            String last = output.strip().lines().reduce((a, b) -> b).orElse("");
            String[] parts = last.split(" ");
            return parts.length == words && parts[0].equals("memory") ? parts : null;
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The child: {@code MODEL SIZE THREADS}; prints {@code memory RSS_BEFORE PEAK} in bytes. */
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int size = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        long before = status("VmRSS:");
        ModelFileKind kind = ModelFileKind.ofName(file.getFileName().toString());
        boolean onnx = kind != null && kind.onnxRuntime();
        if (!onnx) Torch.init(threads);
        try (SegmentationModel model = onnx ? ModelLoader.onnxModel(file, threads) : ModelLoader.load(file.toString(), null)) {
            Plane input = new Plane(size, size);
            Random random = new Random(1);
            for (int i = 0; i < input.values().length; i++) input.values()[i] = (float) random.nextGaussian();
            model.predict(input);
        }
        System.out.println("memory " + before + " " + status("VmHWM:"));
        System.out.flush();
        System.exit(0);
    }

    /** A value of /proc/self/status in bytes ({@code key} as {@code VmHWM:}). */
    public static long status(String key) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            String line = lines.filter(l -> l.startsWith(key)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + key + " in /proc/self/status"));
            return Long.parseLong(line.substring(key.length()).replace("kB", "").strip()) * 1024;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
