package dev.porescope.torch.mobile;

import java.nio.file.Path;

/**
 * A model file that cannot be used: not a zip, truncated, not a PoreScope model, made for another
 * runtime, or written in a version a phone cannot read. Thrown before any native call; the message
 * names the file and says what to do.
 */
public class ModelFileException extends IllegalArgumentException {

    public ModelFileException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public ModelFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
