package dev.porescope.cli.io;

import dev.porescope.cli.support.OptionValues;
import picocli.CommandLine.Option;

/** Options of every command that reads photos (mixed in with {@code @Mixin}). */
public final class ImageOptions {
    @Option(names = "--max-megapixels", converter = OptionValues.Positive.class, paramLabel = "MP", defaultValue = "50",
            description = "Refuse photos larger than this many megapixels, before decoding them (default: ${DEFAULT-VALUE}).")
    double maxMegapixels;

    public ImageFiles files() {
        return new ImageFiles(Math.max(1L, (long) (maxMegapixels * 1e6)));
    }
}
