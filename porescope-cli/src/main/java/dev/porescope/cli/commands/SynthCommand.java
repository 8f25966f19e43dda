package dev.porescope.cli.commands;

import dev.porescope.cli.io.ArgbImage;
import dev.porescope.cli.io.DataFolder;
import dev.porescope.cli.io.ImageOptions;
import dev.porescope.cli.io.PngFiles;
import dev.porescope.cli.support.OptionValues;
import dev.porescope.cli.support.Progress;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.io.AtomicFiles;
import dev.porescope.core.synth.CalibrationReport;
import dev.porescope.core.synth.SkinStatistics;
import dev.porescope.core.synth.SkinSynthesizer;
import dev.porescope.core.synth.SynthConfig;
import dev.porescope.core.synth.SyntheticPhoto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** {@code porescope synth}: writes a data folder of synthetic skin photos with exact pore masks. */
@Command(name = "synth", sortOptions = false,
        description = "Write synthetic skin photos with their exact pore masks as a data folder"
                + " (DIR/images/NAME.png, DIR/masks/NAME.png, 255 = pore). The same seed gives the same photos.")
public final class SynthCommand implements Callable<Integer> {

    /** Which {@link SynthConfig} the photos are drawn with. */
    enum Preset { calibrated, hard, varied }

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Data folder to write.")
    Path out;

    @Option(names = "--count", converter = OptionValues.AtLeastOne.class, defaultValue = "16", paramLabel = "N", description = "Number of photos (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--size", converter = OptionValues.AtLeastOne.class, defaultValue = "512", paramLabel = "PX", description = "Width and height in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--preset", defaultValue = "calibrated", paramLabel = "NAME",
            description = "calibrated (like real-left), hard (harsh uneven light, blur, noise, all skin tones)"
                    + " or varied (random settings per photo, for training); default: ${DEFAULT-VALUE}.")
    Preset preset;

    @Option(names = "--calibrate", paramLabel = "REALDIR",
            description = "Also print the synthetic photos' pore statistics beside those of this real data folder (inside its ROI).")
    Path calibrate;

    @Mixin
    ImageOptions images;

    @Spec
    CommandSpec spec;

    /** Disk bytes a synthetic photo and its mask take per pixel, about (noisy RGB PNG plus a 1-bit-like mask). */
    static final long PNG_BYTES_PER_PIXEL = 3;

    @Override
    public Integer call() {
        if (size < 16 || size > 8192) {
            throw new ParameterException(spec.commandLine(), "--size must be between 16 and 8192 px, got " + size);
        }
        long bytes = (long) count * size * size * PNG_BYTES_PER_PIXEL;
        long free = AtomicFiles.usableSpace(out);
        if (bytes > free) {
            throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT,
                    "--count %d photos of %dx%d px need about %.1f GB on disk and %s has %.1f GB free; use at most --count %d",
                    count, size, size, bytes / 1e9, out, free / 1e9, free / ((long) size * size * PNG_BYTES_PER_PIXEL)));
        }
        PrintWriter stdout = spec.commandLine().getOut();
        // read the real folder first: a typo in --calibrate should not cost the generation time
        List<LabelledImage> real = calibrate == null ? List.of() : DataFolder.load(calibrate, images.files());
        List<String> names = IntStream.range(0, count).mapToObj(i -> String.format(Locale.ROOT, "synth-%04d", i)).toList();
        refuseForeignPhotos(names);

        long[] seeds = new SplittableRandom(seed).longs(count).toArray();
        SkinStatistics[] statistics = new SkinStatistics[count];
        try (Progress progress = Progress.start("synth", count, System.err)) {
            IntStream.range(0, count).parallel().forEach(i -> {
                SynthConfig config = switch (preset) {
                    case calibrated -> SynthConfig.defaults(size, size);
                    case hard -> SynthConfig.hard(size, size);
                    case varied -> SynthConfig.randomized(new SplittableRandom(seeds[i] ^ 0x5DEECE66DL), size, size);
                };
                SyntheticPhoto photo = new SkinSynthesizer(config).generate(names.get(i), seeds[i]);
                PngFiles.writeArgb(new ArgbImage(photo.width(), photo.height(), photo.argb()),
                        out.resolve("images").resolve(photo.name() + ".png"));
                PngFiles.writeMask(photo.pores(), out.resolve("masks").resolve(photo.name() + ".png"));
                if (calibrate != null) statistics[i] = SkinStatistics.of(photo);
                progress.step();
            });
        }
        stdout.printf(Locale.ROOT, "wrote %d synthetic photo%s of %dx%d px (seed %d, %s) to %s%n",
                count, count == 1 ? "" : "s", size, size, seed, preset, out);
        if (calibrate != null) {
            List<SkinStatistics> realStatistics = real.stream()
                    .map(image -> SkinStatistics.measure(image.luma(), image.label(), image.roi())).toList();
            CalibrationReport report = new CalibrationReport(List.of(statistics), realStatistics);
            stdout.println();
            stdout.println("synthetic (" + out + ") vs real (" + calibrate + ", inside its ROI):");
            stdout.print(report.table());
        }
        stdout.flush();
        return 0;
    }

    /** Photos from an earlier, larger run would silently join this data set; refuse instead. */
    private void refuseForeignPhotos(List<String> names) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserException(out + " is a file; give a folder for --out");
        }
        Path imagesDir = out.resolve("images");
        if (!Files.isDirectory(imagesDir)) return;
        Set<String> ours = new HashSet<>(names);
        try (Stream<Path> files = Files.list(imagesDir)) {
            List<Path> foreign = files.filter(f -> {
                String n = f.getFileName().toString();
                return !n.startsWith(".") && !ours.contains(n.replaceFirst("\\.[^.]*$", ""));
            }).sorted().toList();
            if (!foreign.isEmpty()) {
                throw new UserException(imagesDir + " already holds " + foreign.size() + " other file"
                        + (foreign.size() == 1 ? "" : "s") + " (" + foreign.get(0).getFileName()
                        + (foreign.size() > 1 ? ", ..." : "") + "); write to an empty folder or delete them");
            }
        } catch (IOException e) {
            throw new UserException("cannot list " + imagesDir + " (" + e.getMessage() + "); check its permissions", e);
        }
    }
}
