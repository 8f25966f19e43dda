package dev.porescope.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@code porescope} command. Results go to stdout, progress and errors to stderr; exit code 0 on
 * success, 1 on failure (one line {@code porescope: <what is wrong, which file, what to do>}), 2 on
 * bad usage.
 */
@Command(name = "porescope", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class, sortOptions = false, usageHelpAutoWidth = true,
        description = "Finds skin pores in photos: synthetic data, evaluation, training, phone models.")
public final class Main implements Callable<Integer> {

    /** Every subcommand, in the order {@code porescope --help} lists them. Add new commands here. */
    static List<Supplier<Object>> subcommands() {
        return List.of(
                dev.porescope.cli.commands.AnalyzeCommand::new,
                dev.porescope.cli.commands.ServeCommand::new,
                dev.porescope.cli.commands.DemoCommand::new,
                dev.porescope.cli.commands.SynthCommand::new,
                dev.porescope.cli.commands.EvalCommand::new,
                dev.porescope.cli.commands.TrainCommand::new,
                dev.porescope.cli.commands.SpecCommand::new,
                dev.porescope.cli.commands.ExportCommand::new,
                dev.porescope.cli.commands.FaceModelsCommand::new,
                dev.porescope.cli.commands.CompareCommand::new,
                dev.porescope.cli.commands.BatchPlaceholder::new,
                dev.porescope.cli.commands.BenchCommand::new);
    }

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print the stack trace of internal errors (or set " + Messages.DEBUG_ENV + "=1).")
    boolean debug;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("porescope: give a command; the commands are:");
        spec.commandLine().usage(err);
        err.flush();
        return 2;
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
        boolean debug = Arrays.asList(args).contains("--debug") || isSet(System.getenv(Messages.DEBUG_ENV));
        PrintWriter errWriter = new PrintWriter(err, true);
        PrintWriter outWriter = new PrintWriter(out, true);
        try {
            CommandLine cl = commandLine(err, debug);
            extend.accept(cl);
            cl.setOut(outWriter);
            cl.setErr(errWriter);
            return cl.execute(args);
        } catch (RuntimeException | Error e) {
            // picocli lets Errors (OutOfMemoryError) and failures in its own set-up through
            return report(e, errWriter, debug);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    static CommandLine commandLine(PrintStream err, boolean debug) {
        CommandLine cl = new CommandLine(new Main());
        for (Supplier<Object> command : subcommands()) {
            cl.addSubcommand(command.get());
        }
        cl.setParameterExceptionHandler(usageError());
        cl.setExecutionExceptionHandler(executionError(debug));
        return cl;
    }

    private static IParameterExceptionHandler usageError() {
        return (ParameterException e, String[] args) -> {
            CommandLine cl = e.getCommandLine();
            PrintWriter err = cl.getErr();
            err.println("porescope: " + Messages.oneLine(e.getMessage()) + " (see '"
                    + cl.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return 2;
        };
    }

    private static IExecutionExceptionHandler executionError(boolean debug) {
        return (Exception e, CommandLine cl, CommandLine.ParseResult parsed) -> report(e, cl.getErr(), debug);
    }

    /** One line on stderr for {@code e}; exit code 1. */
    static int report(Throwable e, PrintWriter err, boolean debug) {
        err.println("porescope: " + Messages.message(e));
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank() && !value.equals("0") && !value.equalsIgnoreCase("false");
    }

    /** {@code --version}: the jar's version, and Java's. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {
                    "porescope " + (version == null ? "(development build)" : version),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
