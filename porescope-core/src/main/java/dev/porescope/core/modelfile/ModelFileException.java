package dev.porescope.core.modelfile;

/**
 * A file that is not a usable PoreScope model (missing, truncated, foreign, damaged, altered).
 * The message is one line: the file, what is wrong, what to do. The only exception the
 * pure-Java model-file checks throw.
 */
public class ModelFileException extends IllegalArgumentException {
    public ModelFileException(String message) { super(message); }

    public ModelFileException(String message, Throwable cause) { super(message, cause); }
}
