package dev.porescope.cli.serve;

/**
 * A request the server answers with {@code status} and {@code {"error": message}}; with a
 * {@code retryAfterSeconds} (503) the answer also carries {@code Retry-After}.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String message) {
        this(status, message, null);
    }

    public ApiException(int status, String message, Integer retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() { return status; }

    public Integer retryAfterSeconds() { return retryAfterSeconds; }
}
