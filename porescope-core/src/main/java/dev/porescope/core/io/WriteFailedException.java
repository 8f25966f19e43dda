package dev.porescope.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * An output file could not be written (full disk, read-only folder, file size limit). Its message
 * is one line for the user: which file, why, and what to do.
 */
public final class WriteFailedException extends UncheckedIOException {
    private final transient Path file;

    public WriteFailedException(Path file, IOException cause) {
        super(AtomicFiles.describe(file, cause), cause);
        this.file = file;
    }

    /** The file that was not written. */
    public Path file() {
        return file;
    }
}
