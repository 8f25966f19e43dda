package dev.porescope.cli.commands;

import dev.porescope.cli.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code porescope synth}: writes a data folder of synthetic skin photos with exact pore masks. */
@Command(name = "synth", sortOptions = false,
        description = "Write synthetic skin photos with their exact pore masks as a data folder (DIR/images, DIR/masks).")
public final class SynthCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Data folder to write.")
    Path out;

    @Option(names = "--count", defaultValue = "16", paramLabel = "N", description = "Number of photos (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--size", defaultValue = "512", paramLabel = "PX", description = "Width and height in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed; the same seed gives the same photos (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--calibrate", paramLabel = "REALDIR",
            description = "Also print the synthetic photos' statistics beside those of this real data folder.")
    Path calibrate;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new UserException("synth is waiting for branch synth's SkinSynthesizer");
    }
}
