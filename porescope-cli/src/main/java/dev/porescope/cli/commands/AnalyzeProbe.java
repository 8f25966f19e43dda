package dev.porescope.cli.commands;

import dev.porescope.cli.bench.MemoryProbe;
import dev.porescope.cli.support.Launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory of one {@code porescope analyze} in a fresh JVM with a given heap cap: its peak resident
 * set (VmHWM: heap, JVM, native runtimes) and its peak heap use (sampled every 10 ms; garbage not
 * yet collected counts). Linux only (/proc/self/status).
 */
public final class AnalyzeProbe {
    private AnalyzeProbe() { }

    /**
     * @param peakRssBytes  peak resident set of the whole process
     * @param peakHeapBytes largest heap use seen
     * @param wallSeconds   wall time of the child, JVM start to exit
     */
    public record Result(long peakRssBytes, long peakHeapBytes, double wallSeconds) { }

    /** Runs {@code porescope ARGS} in a child JVM with analyze's {@link #jvmOptions()}; null when it cannot be measured. */
    public static Result measure(List<String> args) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(jvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AnalyzeProbe.class.getName()));
        command.addAll(args);
        long t0 = System.nanoTime();
        String[] parts = MemoryProbe.childReport(command, 3);
        double wall = (System.nanoTime() - t0) / 1e9;
        return parts == null ? null : new Result(Long.parseLong(parts[1]), Long.parseLong(parts[2]), wall);
    }

    /**
     * The JVM options {@code bin/porescope analyze} runs with (heap cap, collector): the lines of the
     * resource {@code dev/porescope/cli/analyze/jvm.options} that are not comments.
     */
    public static List<String> jvmOptions() {
        try (InputStream in = AnalyzeProbe.class.getResourceAsStream("/dev/porescope/cli/analyze/jvm.options")) {
            if (in == null) throw new IllegalStateException("the resource dev/porescope/cli/analyze/jvm.options is missing from the build");
            List<String> options = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                String option = line.strip();
                if (!option.isEmpty() && !option.startsWith("#")) options.add(option);
            }
            return options;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The child: runs the command line, then prints {@code memory PEAK_RSS PEAK_HEAP} in bytes. */
    public static void main(String[] args) {
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        AtomicLong heap = new AtomicLong();
        Thread sampler = new Thread(() -> {
            Runtime rt = Runtime.getRuntime();
            while (!Thread.currentThread().isInterrupted()) {
                heap.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        int code = Launcher.run(List.of(AnalyzeCommand::new), quiet, quiet, cl -> { }, Arrays.copyOf(args, args.length));
        sampler.interrupt();
        if (code != 0) System.exit(code);
        System.out.println("memory " + MemoryProbe.status("VmHWM:") + " " + heap.get());
        System.out.flush();
        System.exit(0);
    }
}
