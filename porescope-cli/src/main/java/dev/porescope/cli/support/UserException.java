package dev.porescope.cli.support;

/**
 * A problem the user can fix (a missing folder, a bad image, an unknown model). Its message is
 * printed as one line on stderr, {@code porescope: <message>}, and the command exits with 1; it
 * says what is wrong, names the file, and says what to do.
 */
public class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
