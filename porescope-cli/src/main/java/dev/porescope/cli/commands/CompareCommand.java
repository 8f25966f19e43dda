package dev.porescope.cli.commands;

import dev.porescope.cli.io.ArgbImage;
import dev.porescope.cli.io.DataFolder;
import dev.porescope.cli.io.FileRoles;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.io.ImageOptions;
import dev.porescope.cli.models.ModelLoader;
import dev.porescope.cli.report.ParityFigure;
import dev.porescope.cli.support.OptionValues;
import dev.porescope.cli.support.Progress;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.io.AtomicFiles;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.parity.ParityReport;
import dev.porescope.core.parity.ParityReport.Comparison;
import dev.porescope.core.pipeline.PoreAnalyzer;
import dev.porescope.torch.mobile.LiteRunnerModel;
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
import java.util.Optional;
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

    @Option(names = "--count", converter = OptionValues.AtLeastOne.class, defaultValue = "16", paramLabel = "N", description = "Photos to compare, picked at random (all when fewer; default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the random pick (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Write count, mean, std, variance, min, max and per_image as JSON.")
    Path json;

    @Option(names = "--figure", paramLabel = "PNG", description = "Write the paper's Fig. 2 (photo | server pores | device pores) for the worst photo.")
    Path figure;

    /** Which interpreter runs a {@code .ptl} device model. */
    enum PtlRuntime { auto, lite, torchscript }

    @Option(names = "--ptl-runtime", defaultValue = "auto", paramLabel = "auto|lite|torchscript",
            description = "How a .ptl device model runs: 'lite' = PyTorch's lite interpreter, the phone's runtime code"
                    + " (Debian libtorch 1.13 in the child process interop/target/porescope-lite-runner); 'torchscript' = the"
                    + " file's TorchScript copy on the JVM's libtorch (the server's arithmetic); 'auto' = lite when the runner"
                    + " is built, else torchscript with a warning (default: ${DEFAULT-VALUE}).")
    PtlRuntime ptlRuntime;

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
        new FileRoles().input("--server", Path.of(server)).input("--device", Path.of(device))
                .output("--json", json).output("--figure", figure).check(spec);
        ModelLoader.check(server);
        ModelLoader.check(device);
        List<DataFolder.Entry> picked = pick(DataFolder.entries(data, false), count, seed);
        ImageFiles files = images.files();

        List<ParityReport.ImageParity> rows = new ArrayList<>();
        Comparison worst = null;
        DataFolder.Entry worstEntry = null;
        ModelCard serverCard, deviceCard;
        Device opened;
        try (SegmentationModel serverModel = Thresholds.apply(ModelLoader.load(server, null), threshold);
             SegmentationModel deviceModel = Thresholds.apply((opened = openDevice(err)).model(), threshold)) {
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
        out.printf(Locale.ROOT, "server %s (%s %s) vs device %s (%s) on %d photo%s of %s (seed %d)%n", server,
                serverCard.runtime(), serverCard.precision(), device, opened.runtime(),
                rows.size(), rows.size() == 1 ? "" : "s", data, seed);
        if (opened.note() != null) out.println("note: " + opened.note());
        out.println();
        out.print(report.markdown());
        out.flush();
        if (json != null) {
            Map<String, Object> doc = new java.util.LinkedHashMap<>(report.toJson());
            doc.put("server", server);
            doc.put("device", device);
            doc.put("server_runtime", serverCard.runtime() + " " + serverCard.precision());
            doc.put("device_runtime", opened.runtime());
            if (opened.note() != null) doc.put("device_runtime_note", opened.note());
            doc.put("data", data.toString());
            doc.put("seed", seed);
            doc.put("threshold", threshold != null ? threshold : (Object) "model cards");
            String text = Json.write(doc, true);
            AtomicFiles.write(json, tmp -> Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8));
            err.println("porescope: wrote " + json);
        }
        if (figure != null) {
            ArgbImage photo = files.readArgb(worstEntry.photo());
            ParityFigure.write(figure, photo, worst.server().poreMask(), worst.device().poreMask(),
                    worstEntry.name(),
                    String.format(Locale.ROOT, "server %s %s: %d pores", serverCard.runtime(), serverCard.precision(), worst.row().serverPores()),
                    String.format(Locale.ROOT, "device %s: %d pores, Dice %.3f", opened.runtime(),
                            worst.row().devicePores(), worst.row().agreement()));
            err.println("porescope: wrote " + figure + " (worst photo " + worstEntry.name() + ")");
        }
        err.flush();
        return 0;
    }

    /**
     * The device model, what runs it, and a note when a {@code .ptl} did not run on the lite interpreter.
     *
     * @param runtime e.g. {@code pytorch-lite-interpreter 1.13.1 fp32} or {@code onnx fp32}
     * @param note    null, or why the device column is not the phone's runtime
     */
    record Device(SegmentationModel model, String runtime, String note) { }

    private Device openDevice(PrintWriter err) {
        boolean ptl = ModelLoader.extension(Path.of(device)).equals("ptl");
        if (!ptl || ptlRuntime == PtlRuntime.torchscript) {
            SegmentationModel m = ModelLoader.load(device, null);
            String runtime = m.card().runtime() + " " + m.card().precision();
            return ptl ? new Device(m, runtime + " (TorchScript copy on the JVM's libtorch)", "--ptl-runtime torchscript:"
                    + " the .ptl's TorchScript copy ran on full libtorch, so the device column is the server's arithmetic,"
                    + " not the phone's lite interpreter") : new Device(m, runtime, null);
        }
        try {
            dev.porescope.torch.TorchFiles.check(Path.of(device), dev.porescope.core.modelfile.ModelFileKind.PTL);   // a bad file is one clear error, before any warning about runtimes
        } catch (IllegalArgumentException e) {
            throw new UserException(ModelLoader.withWhatToDo(e.getMessage(), "export it again with 'porescope export --format ptl'"), e);
        }
        String reason;
        Optional<Path> runner = LiteRunnerModel.runner();
        if (runner.isPresent()) {
            try {
                LiteRunnerModel m = LiteRunnerModel.open(runner.get(), Path.of(device), Runtime.getRuntime().availableProcessors());
                return new Device(m, m.runtime() + " " + m.card().precision(), null);
            } catch (IllegalStateException e) {
                reason = e.getMessage().lines().findFirst().orElse("");
            } catch (IllegalArgumentException e) {
                throw new UserException(ModelLoader.withWhatToDo(e.getMessage(), "export it again with 'porescope export --format ptl'"), e);
            }
        } else {
            reason = LiteRunnerModel.unavailableReason();
        }
        if (ptlRuntime == PtlRuntime.lite) {
            throw new UserException("--ptl-runtime lite: " + reason);
        }
        String note = "the lite interpreter was not used: " + reason + "; the .ptl's TorchScript copy ran on full libtorch,"
                + " so the device column is the server's arithmetic, not the phone's";
        err.println("porescope: warning: " + note);
        err.flush();
        SegmentationModel m = ModelLoader.load(device, null);
        return new Device(m, m.card().runtime() + " " + m.card().precision() + " (TorchScript copy on the JVM's libtorch)", note);
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
