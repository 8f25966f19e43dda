package dev.porescope.cli.support;

import dev.porescope.core.io.WriteFailedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * The one line a failure is shown as ({@code porescope: <line>}): what is wrong, which file, what
 * to do. Commands, reports and {@link Launcher} all word failures through here.
 */
public final class Messages {
    /** Environment variable that turns on stack traces, like {@code --debug}. */
    public static final String DEBUG_ENV = "PORESCOPE_DEBUG";

    private Messages() { }

    /** The one line (without the {@code porescope: } prefix) that describes {@code e} to the user. */
    public static String message(Throwable e) {
        if (e instanceof UserException || e instanceof WriteFailedException) {
            return oneLine(e.getMessage());
        }
        Throwable io = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        if (io instanceof NoSuchFileException n) {
            return n.getFile() + " does not exist; check the path";
        }
        if (io instanceof AccessDeniedException a) {
            return "permission denied for " + a.getFile() + "; check its permissions";
        }
        if (io instanceof IOException) {
            return "input/output error: " + oneLine(String.valueOf(io.getMessage())) + "; check the files and free disk space";
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory; give Java more with JAVA_OPTS=-Xmx8g, or use smaller photos";
        }
        return "internal error: " + oneLine(e.toString()) + "; rerun with --debug (or " + DEBUG_ENV
                + "=1) to see the stack trace, and report it";
    }

    /** {@code text} on one line: line breaks and the blanks around them become one space. */
    public static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
