package dev.porescope.cli.analyze;

import java.nio.file.Path;

/**
 * One photo of an {@code analyze} run and what became of it.
 *
 * @param photo   the file
 * @param result  its analysis, or null when it failed
 * @param failure why it failed, or null
 */
public record Outcome(Path photo, PhotoAnalysis.Result result, RuntimeException failure) { }
