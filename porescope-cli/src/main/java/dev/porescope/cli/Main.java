package dev.porescope.cli;

import dev.porescope.cli.commands.AnalyzeCommand;
import dev.porescope.cli.commands.BatchPlaceholder;
import dev.porescope.cli.commands.BenchCommand;
import dev.porescope.cli.commands.CompareCommand;
import dev.porescope.cli.commands.DemoCommand;
import dev.porescope.cli.commands.EvalCommand;
import dev.porescope.cli.commands.ExportCommand;
import dev.porescope.cli.commands.FaceModelsCommand;
import dev.porescope.cli.commands.ServeCommand;
import dev.porescope.cli.commands.SpecCommand;
import dev.porescope.cli.commands.SynthCommand;
import dev.porescope.cli.commands.TrainCommand;
import dev.porescope.cli.support.Launcher;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@code porescope} command: every subcommand, run through {@link Launcher} (one-line errors,
 * exit 0 / 1 on failure / 2 on bad usage). Nothing depends on this class; it only lists the commands.
 */
public final class Main {
    private Main() { }

    /** Every subcommand, in the order {@code porescope --help} lists them. Add new commands here. */
    static List<Supplier<Object>> subcommands() {
        return List.of(
                AnalyzeCommand::new,
                ServeCommand::new,
                DemoCommand::new,
                SynthCommand::new,
                EvalCommand::new,
                TrainCommand::new,
                SpecCommand::new,
                ExportCommand::new,
                FaceModelsCommand::new,
                CompareCommand::new,
                BatchPlaceholder::new,
                BenchCommand::new);
    }

    public static void main(String[] args) {
        int code = run(System.out, System.err, args);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Runs the command line in-process and returns its exit code (tests call this). */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(out, err, cl -> { }, args);
    }

    /**
     * As {@link #run(PrintStream, PrintStream, String...)}, with commands that another module adds
     * to the command line first (porescope-spark replaces {@code batch} and adds {@code bench batch}).
     */
    public static int run(PrintStream out, PrintStream err, Consumer<CommandLine> extend, String... args) {
        return Launcher.run(subcommands(), out, err, extend, args);
    }
}
