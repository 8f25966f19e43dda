package dev.porescope.cli.commands;

import dev.porescope.cli.ImageOptions;
import dev.porescope.cli.ModelLoader;
import dev.porescope.cli.Progress;
import dev.porescope.cli.UserException;
import dev.porescope.cli.io.ArgbImage;
import dev.porescope.cli.io.DataFolder;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.report.ParityFigure;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.parity.ParityReport;
import dev.porescope.core.parity.ParityReport.Comparison;
import dev.porescope.core.pipeline.PoreAnalyzer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/** {@code porescope compare}: the paper's Table 3, server model vs device model on the same photos. */
@Command(name = "compare", sortOptions = false,
        description = {"Server/device parity (the paper's Table 3): run the server model and a device model through the"
                + " same preprocessing, tiling and pore extraction on photos picked at random, and report per photo the Dice"
                + " between their pore masks, both pore counts, the largest probability difference and, where the data has"
                + " labels, each model's Dice against them; then count, mean, std, variance, min and max.",
                "Each model uses its own card's preprocessing and threshold (as it would on the phone); a warning says so"
                        + " when they differ (an exported card carries the server's)."})
public final class CompareCommand implements Callable<Integer> {

    @Option(names = "--server", required = true, paramLabel = "MODEL", description = "Server model (.pt), or any model file.")
    String server;

    @Option(names = "--device", required = true, paramLabel = "MODEL", description = "Device model (.ptl, .onnx, .ort).")
    String device;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Data folder: images/NAME.png|jpg; masks/NAME.png and roi/NAME.png are used where present.")
    Path data;

    @Option(names = "--count", defaultValue = "16", paramLabel = "N", description = "Photos to compare, picked at random (all when fewer; default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the random pick (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Write count, mean, std, variance, min, max and per_image as JSON.")
    Path json;

    @Option(names = "--figure", paramLabel = "PNG", description = "Write the paper's Fig. 2 (photo | server pores | device pores) for the worst photo.")
    Path figure;

    @Option(names = "--threshold", paramLabel = "T",
            description = "Decision threshold on the pore probability, for both models instead of their cards' (which the files keep).")
    Double threshold;

    @Mixin
    ImageOptions images;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (count < 1) throw new UserException("--count must be at least 1, got " + count);
        ModelLoader.check(server);
        ModelLoader.check(device);
        List<DataFolder.Entry> picked = pick(DataFolder.entries(data, false), count, seed);
        ImageFiles files = images.files();

        List<ParityReport.ImageParity> rows = new ArrayList<>();
        Comparison worst = null;
        DataFolder.Entry worstEntry = null;
        ModelCard serverCard, deviceCard;
        try (SegmentationModel serverModel = Thresholds.apply(ModelLoader.load(server, null), threshold);
             SegmentationModel deviceModel = Thresholds.apply(ModelLoader.load(device, null), threshold)) {
            serverCard = serverModel.card();
            deviceCard = deviceModel.card();
            for (String difference : ParityReport.settingDifferences(serverCard, deviceCard)) {
                err.println("porescope: warning: the device card differs from the server's: " + difference
                        + "; each model runs with its own settings (export the device model from this server model to align them)");
            }
            err.flush();
            PoreAnalyzer serverAnalyzer = new PoreAnalyzer(serverModel);
            PoreAnalyzer deviceAnalyzer = new PoreAnalyzer(deviceModel);
            try (Progress progress = Progress.start("compare", picked.size(), System.err)) {
                for (DataFolder.Entry entry : picked) {
                    Photo photo = read(entry, files);
                    Comparison c = ParityReport.compare(entry.name(), serverAnalyzer, deviceAnalyzer, photo.luma,
                            photo.label, photo.roi);
                    rows.add(c.row());
                    if (worst == null || c.row().agreement() < worst.row().agreement()) {
                        worst = new Comparison(c.row(), withoutProbability(c.server()), withoutProbability(c.device()));
                        worstEntry = entry;
                    }
                    progress.step();
                }
            }
        }
        ParityReport report = ParityReport.of(rows);
        out.printf(Locale.ROOT, "server %s (%s %s) vs device %s (%s %s) on %d photo%s of %s (seed %d)%n%n", server,
                serverCard.runtime(), serverCard.precision(), device, deviceCard.runtime(), deviceCard.precision(),
                rows.size(), rows.size() == 1 ? "" : "s", data, seed);
        out.print(report.markdown());
        out.flush();
        if (json != null) {
            Map<String, Object> doc = new java.util.LinkedHashMap<>(report.toJson());
            doc.put("server", server);
            doc.put("device", device);
            doc.put("server_runtime", serverCard.runtime() + " " + serverCard.precision());
            doc.put("device_runtime", deviceCard.runtime() + " " + deviceCard.precision());
            doc.put("data", data.toString());
            doc.put("seed", seed);
            doc.put("threshold", threshold != null ? threshold : (Object) "model cards");
            String text = Json.write(doc, true);
            ImageFiles.writeAtomically(json, tmp -> Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8));
            err.println("porescope: wrote " + json);
        }
        if (figure != null) {
            ArgbImage photo = files.readArgb(worstEntry.photo());
            ParityFigure.write(figure, photo, worst.server().poreMask(), worst.device().poreMask(),
                    worstEntry.name(),
                    String.format(Locale.ROOT, "server %s %s: %d pores", serverCard.runtime(), serverCard.precision(), worst.row().serverPores()),
                    String.format(Locale.ROOT, "device %s %s: %d pores, Dice %.3f", deviceCard.runtime(), deviceCard.precision(),
                            worst.row().devicePores(), worst.row().agreement()));
            err.println("porescope: wrote " + figure + " (worst photo " + worstEntry.name() + ")");
        }
        err.flush();
        return 0;
    }

    /** {@code count} entries picked at random with {@code seed} (all when fewer), in name order. */
    static List<DataFolder.Entry> pick(List<DataFolder.Entry> all, int count, long seed) {
        if (all.size() <= count) return all;
        List<DataFolder.Entry> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(seed));
        List<DataFolder.Entry> picked = new ArrayList<>(shuffled.subList(0, count));
        picked.sort(Comparator.comparing(DataFolder.Entry::name));
        return picked;
    }

    private record Photo(Plane luma, Mask label, Mask roi) { }

    private static Photo read(DataFolder.Entry entry, ImageFiles files) {
        ArgbImage argb = files.readArgb(entry.photo());
        Mask label = entry.mask() == null ? null : sized(files.readMask(entry.mask()), entry.mask(), argb, entry);
        Mask roi = entry.roi() == null ? null : sized(files.readMask(entry.roi()), entry.roi(), argb, entry);
        return new Photo(DataFolder.luma(argb), label, roi);
    }

    private static Mask sized(Mask mask, Path file, ArgbImage photo, DataFolder.Entry entry) {
        if (mask.width() != photo.width() || mask.height() != photo.height()) {
            throw new UserException(file + " is " + mask.width() + "x" + mask.height() + " but its photo " + entry.photo()
                    + " is " + photo.width() + "x" + photo.height() + "; make them the same size");
        }
        return mask;
    }

    /** Drops the probability map of a kept analysis (only the masks are drawn). */
    private static PoreAnalyzer.Analysis withoutProbability(PoreAnalyzer.Analysis a) {
        return new PoreAnalyzer.Analysis(null, a.poreMask(), a.pores(), a.summary());
    }
}
