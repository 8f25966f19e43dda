package dev.porescope.cli.support;

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
 * Runs a {@code porescope} command line in this process: results on stdout, progress and errors on
 * stderr; exit code 0 on success, 1 on failure (one line {@code porescope: <what is wrong, which
 * file, what to do>}), 2 on bad usage. {@code Main} runs it over every command; a command that
 * scripts others ({@code demo}, {@code bench analyze}) runs it over the ones it needs.
 */
public final class Launcher {
    private Launcher() { }

    /**
     * Runs {@code args} on a {@code porescope} command line with {@code commands} as its
     * subcommands, after {@code extend} has changed it (porescope-spark adds its commands there).
     */
    public static int run(List<Supplier<Object>> commands, PrintStream out, PrintStream err,
                          Consumer<CommandLine> extend, String... args) {
        boolean debug = Arrays.asList(args).contains("--debug") || isSet(System.getenv(Messages.DEBUG_ENV));
        PrintWriter errWriter = new PrintWriter(err, true);
        PrintWriter outWriter = new PrintWriter(out, true);
        try {
            CommandLine cl = commandLine(commands, debug);
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

    private static CommandLine commandLine(List<Supplier<Object>> commands, boolean debug) {
        CommandLine cl = new CommandLine(new Porescope());
        for (Supplier<Object> command : commands) {
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
    public static int report(Throwable e, PrintWriter err, boolean debug) {
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

    /** The {@code porescope} command itself: its subcommands do the work. */
    @Command(name = "porescope", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
            versionProvider = Version.class, sortOptions = false, usageHelpAutoWidth = true,
            description = "Finds skin pores in photos: synthetic data, evaluation, training, phone models.")
    static final class Porescope implements Callable<Integer> {
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
    }

    /** {@code --version}: the jar's version, and Java's. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Launcher.class.getPackage().getImplementationVersion();
            return new String[] {
                    "porescope " + (version == null ? "(development build)" : version),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
