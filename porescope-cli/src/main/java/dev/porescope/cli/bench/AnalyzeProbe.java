package dev.porescope.cli.bench;

import dev.porescope.cli.Main;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Memory of one {@code porescope analyze} in a fresh JVM with a given heap cap: its peak resident
 * set (VmHWM: heap, JVM, native runtimes) and its peak heap (sum of the heap pools' peaks, an upper
 * bound). Linux only (/proc/self/status).
 */
public final class AnalyzeProbe {
    private AnalyzeProbe() { }

    /**
     * @param peakRssBytes  peak resident set of the whole process
     * @param peakHeapBytes sum of the peak usage of each heap pool
     * @param wallSeconds   wall time of the child, JVM start to exit
     */
    public record Result(long peakRssBytes, long peakHeapBytes, double wallSeconds) { }

    /** Runs {@code porescope ARGS} in a child JVM with {@code -Xmx<heapCap>}; null when it cannot be measured. */
    public static Result measure(List<String> args, String heapCap) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx" + heapCap, "-cp",
                System.getProperty("java.class.path"), AnalyzeProbe.class.getName()));
        command.addAll(args);
        long t0 = System.nanoTime();
        String[] parts = MemoryProbe.childReport(command, 3);
        double wall = (System.nanoTime() - t0) / 1e9;
        return parts == null ? null : new Result(Long.parseLong(parts[1]), Long.parseLong(parts[2]), wall);
    }

    /** The child: runs the command line, then prints {@code memory PEAK_RSS PEAK_HEAP} in bytes. */
    public static void main(String[] args) {
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        int code = Main.run(quiet, quiet, Arrays.copyOf(args, args.length));
        if (code != 0) System.exit(code);
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) heap += pool.getPeakUsage().getUsed();
        }
        System.out.println("memory " + MemoryProbe.status("VmHWM:") + " " + heap);
        System.out.flush();
        System.exit(0);
    }
}
