package dev.porescope.cli.support;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;

/**
 * A progress bar with rate and ETA on stderr, shown only for work long enough to need one, so that
 * short runs (and tests) keep a clean stderr. Thread-safe: {@link #step()} may be called from
 * worker threads.
 */
public final class Progress implements AutoCloseable {
    /** Below this many steps no bar is drawn. */
    public static final int DEFAULT_MIN_STEPS = 8;

    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** A bar named {@code task} over {@code total} steps, or a silent one when {@code total < minSteps}. */
    public static Progress start(String task, long total, int minSteps, PrintStream err) {
        if (total < minSteps) {
            return new Progress(null);
        }
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(System.console() != null ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(err))
                .setUpdateIntervalMillis(250)
                .setSpeedUnit(ChronoUnit.SECONDS)
                .showSpeed()
                .setMaxRenderedLength(100)
                .build();
        return new Progress(bar);
    }

    public static Progress start(String task, long total, PrintStream err) {
        return start(task, total, DEFAULT_MIN_STEPS, err);
    }

    /** A bar that never draws. */
    public static Progress silent() {
        return new Progress(null);
    }

    public void step() {
        if (bar != null) bar.step();
    }

    public void stepTo(long done) {
        if (bar != null) bar.stepTo(done);
    }

    /** Short status after the bar (loss, validation Dice, ...). */
    public void message(String text) {
        if (bar != null) bar.setExtraMessage(text);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
