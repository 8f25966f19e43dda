package dev.porescope.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the machine was while a benchmark ran: CPU time of this process and of everything else,
 * in cores, from {@code /proc/stat} and {@code /proc/self/stat} (Linux; NaN elsewhere). A shared
 * machine's other work shows up here, so a table can say what it was measured beside.
 */
public final class MachineLoad {
    /** Kernel clock ticks per second (USER_HZ), 100 on every mainstream Linux. */
    private static final double TICKS = 100;

    private final long startNanos = System.nanoTime();
    private final long busyStart;
    private final long ownStart;

    private MachineLoad() {
        busyStart = machineBusyTicks();
        ownStart = ownTicks();
    }

    public static MachineLoad start() {
        return new MachineLoad();
    }

    /**
     * @param ownCores   CPU time of this process / wall time
     * @param otherCores CPU time of all other processes / wall time
     */
    public record Usage(double ownCores, double otherCores) { }

    public Usage stop() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long busy = machineBusyTicks();
        long own = ownTicks();
        if (busy < 0 || own < 0 || busyStart < 0 || ownStart < 0) return new Usage(Double.NaN, Double.NaN);
        double ownCores = (own - ownStart) / TICKS / seconds;
        double allCores = (busy - busyStart) / TICKS / seconds;
        return new Usage(ownCores, Math.max(0, allCores - ownCores));
    }

    /** user + nice + system + irq + softirq + steal ticks of all CPUs; -1 when unreadable. */
    static long machineBusyTicks() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = cpu.trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) busy += Long.parseLong(f[i]);
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of this process (all threads); -1 when unreadable. */
    static long ownTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split("\\s+");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
