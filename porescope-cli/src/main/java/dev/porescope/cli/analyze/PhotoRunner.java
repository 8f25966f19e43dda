package dev.porescope.cli.analyze;

import dev.porescope.cli.analyze.PhotoAnalysis.Outputs;
import dev.porescope.cli.analyze.PhotoInputs.Input;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.support.Messages;
import dev.porescope.cli.support.Progress;
import dev.porescope.cli.support.UserException;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs {@code analyze}'s photos through one {@link PhotoAnalysis}: one photo with a progress bar over
 * its tiles, or many on parallel workers within the heap. A photo that fails becomes an
 * {@link Outcome} with its failure; the others go on.
 */
public final class PhotoRunner {
    /** Heap needed per photo pixel while it is analysed (measured peak, see README "Memory"), bytes. */
    public static final long BYTES_PER_PIXEL = 48;

    private PhotoRunner() { }

    /** One photo, with a progress bar over its tiles when it is big. */
    public static Outcome one(PhotoAnalysis job, Input input, Outputs outputs) {
        if (input.problem() != null) return new Outcome(input.photo(), null, input.problem());
        long tiles;
        try {
            ImageFiles.Size size = job.admit(input.photo());
            tiles = job.settings().analyzer().tileCount(size.width(), size.height());
        } catch (RuntimeException e) {
            return new Outcome(input.photo(), null, e);
        }
        try (Progress progress = Progress.start("analyze " + input.photo().getFileName(), tiles, System.err)) {
            return new Outcome(input.photo(), job.runAdmitted(input.photo(), outputs, progress::stepTo), null);
        } catch (RuntimeException e) {
            return new Outcome(input.photo(), null, e); // rethrown after the summary CSV has its row
        }
    }

    /**
     * Photos on {@code photosAtOnce} workers, each failure on {@code err} as it happens. Each photo
     * also holds heap permits for its pixels, so that big photos wait for each other instead of
     * running the heap out.
     */
    public static List<Outcome> batch(PhotoAnalysis job, List<Input> photos, Function<Input, Outputs> outputs,
                                      int photosAtOnce, PrintWriter err) {
        long maxHeap = Runtime.getRuntime().maxMemory();
        int budgetKb = (int) Math.min(Integer.MAX_VALUE, maxHeap / 1024);
        Semaphore memory = new Semaphore(budgetKb);
        ExecutorService pool = Executors.newFixedThreadPool(photosAtOnce, r -> {
            Thread t = new Thread(r, "porescope-photo");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        try (Progress progress = Progress.start("analyze", photos.size(), System.err)) {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Input input : photos) {
                futures.add(pool.submit(() -> {
                    try {
                        if (input.problem() != null) throw input.problem();
                        ImageFiles.Size size = job.admit(input.photo());
                        int needKb = (int) Math.min(budgetKb, size.pixels() * BYTES_PER_PIXEL / 1024 + 1);
                        memory.acquireUninterruptibly(needKb);
                        try {
                            return new Outcome(input.photo(), job.runAdmitted(input.photo(), outputs.apply(input), t -> { }), null);
                        } finally {
                            memory.release(needKb);
                        }
                    } catch (RuntimeException | OutOfMemoryError e) {
                        RuntimeException failure = e instanceof RuntimeException r ? r : new UserException(Messages.message(e), e);
                        synchronized (err) {
                            err.println("porescope: " + Messages.message(failure));
                            err.flush();
                        }
                        return new Outcome(input.photo(), null, failure);
                    } finally {
                        progress.stepTo(done.incrementAndGet());
                    }
                }));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                try {
                    outcomes.add(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UserException("interrupted", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
