package dev.porescope.spark;

import dev.porescope.cli.Main;
import picocli.CommandLine;

import java.io.PrintStream;

/**
 * The {@code porescope} command with Apache Spark on the class path: every command of the CLI, with
 * {@code batch} and {@code bench batch}. {@code bin/porescope} runs this for those two.
 */
public final class SparkMain {
    private SparkMain() { }

    public static void main(String[] args) {
        int code = run(System.out, System.err, args);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Runs the command line in-process and returns its exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return Main.run(out, err, SparkMain::extend, args);
    }

    static void extend(CommandLine cl) {
        cl.getCommandSpec().removeSubcommand("batch");
        cl.addSubcommand(new BatchCommand());
        cl.getSubcommands().get("bench").addSubcommand(new BenchBatchCommand());
    }
}
