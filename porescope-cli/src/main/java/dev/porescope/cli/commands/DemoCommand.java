package dev.porescope.cli.commands;

import dev.porescope.cli.models.DefaultModel;
import dev.porescope.cli.support.Launcher;
import dev.porescope.cli.support.OptionValues;
import dev.porescope.cli.support.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code porescope demo}: the paper's whole experiment on the embedded default model, in about a
 * minute. It is a script over the other commands (synth, eval, analyze, compare), run in-process,
 * so what it shows is exactly what those commands give a user.
 */
@Command(name = "demo", sortOptions = false,
        description = {"Run the paper's experiment on the embedded default model: make sample skin photos, find their"
                + " pores with the server model (TorchScript) and the device models (PyTorch Mobile lite, ONNX fp32 and int8),"
                + " score them against the photos' exact labels, print the server/device parity report (the paper's"
                + " Table 3), and write overlays and Fig. 2-style PNGs."})
public final class DemoCommand implements Callable<Integer> {

    /** The commands the demo runs. */
    private static final List<Supplier<Object>> SCRIPTED = List.of(
            SynthCommand::new, AnalyzeCommand::new, EvalCommand::new, CompareCommand::new);

    @Option(names = "--out", defaultValue = "porescope-demo", paramLabel = "DIR",
            description = "Folder for the sample photos, overlays, reports and figures (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--count", converter = OptionValues.AtLeastOne.class, defaultValue = "16", paramLabel = "N",
            description = "Sample photos, as in the paper's parity test (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--size", converter = OptionValues.AtLeastOne.class, defaultValue = "384", paramLabel = "PX", description = "Side of each sample photo (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "2021", paramLabel = "S", description = "Seed of the sample photos (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if (size < 64) throw new ParameterException(spec.commandLine(), "--size must be at least 64 px, got " + size);
        DefaultModel embedded = DefaultModel.embedded();
        Optional<Path> server = embedded.extract("default.pt");
        Optional<Path> lite = embedded.extract("default.ptl");
        Optional<Path> onnx = embedded.extract("default.onnx");
        Optional<Path> int8 = embedded.extract("default-int8.onnx");
        if (server.isEmpty()) {
            throw new UserException("this build has no embedded default model (default.pt); rebuild it with the"
                    + " command in the README's 'Default model' section, or run 'porescope eval --model dog'");
        }
        Path photos = out.toAbsolutePath().resolve("photos");
        Path analysis = out.toAbsolutePath().resolve("analysis");

        heading(stdout, "1. " + count + " sample skin photos with exact pore labels (synthetic, calibrated to real skin, seed " + seed + ")");
        deleteOldSamples(photos);
        run(stdout, err, "synth", "--out", photos.toString(), "--count", Integer.toString(count), "--size",
                Integer.toString(size), "--seed", Long.toString(seed), "--preset", "calibrated");
        stdout.println("photos and labels: " + photos);

        heading(stdout, "2. Pores found by the server model (" + server.get().getFileName() + ", TorchScript on libtorch)");
        // the sample photos are skin close-ups labelled all over, scored by eval over the whole photo: no face zones
        run(stdout, err, "analyze", photos.resolve("images").toString(), "--model", server.get().toString(), "--zones", "none",
                "--out-dir", analysis.toString(), "--summary-csv", analysis.resolve("summary.csv").toString());
        run(stdout, err, "eval", "--model", server.get().toString(), "--data", photos.toString(),
                "--json", analysis.resolve("eval.json").toString());
        stdout.println("per photo: pore mask, overlay (pores outlined, coloured by size), CSV, JSON, size histogram in " + analysis);

        List<String[]> devices = new ArrayList<>();
        lite.ifPresent(p -> devices.add(new String[]{p.toString(), "lite", "PyTorch Mobile lite interpreter, fp32"}));
        onnx.ifPresent(p -> devices.add(new String[]{p.toString(), "onnx", "ONNX Runtime, fp32"}));
        int8.ifPresent(p -> devices.add(new String[]{p.toString(), "onnx-int8", "ONNX Runtime, int8"}));
        int step = 3;
        for (String[] device : devices) {
            heading(stdout, step++ + ". Server vs device: " + Path.of(device[0]).getFileName() + " (" + device[2]
                    + "), the paper's Table 3");
            Path figure = out.toAbsolutePath().resolve("fig2-" + device[1] + ".png");
            run(stdout, err, "compare", "--server", server.get().toString(), "--device", device[0], "--data",
                    photos.toString(), "--count", Integer.toString(count), "--seed", Long.toString(seed),
                    "--json", out.toAbsolutePath().resolve("parity-" + device[1] + ".json").toString(),
                    "--figure", figure.toString());
            stdout.println("Fig. 2 (photo | server pores | device pores, worst photo): " + figure);
        }
        heading(stdout, "Done");
        stdout.println("everything is in " + out.toAbsolutePath());
        stdout.flush();
        return 0;
    }

    private static void heading(PrintWriter stdout, String text) {
        stdout.println();
        stdout.println("== " + text);
        stdout.flush();
    }

    /** Runs another porescope command in this process; its failure is the demo's failure. */
    private static void run(PrintWriter stdout, PrintWriter err, String... args) {
        stdout.flush();
        err.flush();
        int code = Launcher.run(SCRIPTED, new PrintStream(new WriterStream(stdout), true), new PrintStream(new WriterStream(err), true),
                cl -> { }, args);
        if (code != 0) {
            throw new UserException("the demo stopped: 'porescope " + String.join(" ", args) + "' failed (exit " + code + ")");
        }
    }

    private static void deleteOldSamples(Path photos) {
        // synth refuses to mix its photos with others: start the sample folder afresh
        try {
            if (java.nio.file.Files.isDirectory(photos)) {
                try (var walk = java.nio.file.Files.walk(photos)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        java.nio.file.Files.delete(p);
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new UserException("cannot clear " + photos + " (" + e.getMessage() + "); remove it or give another --out");
        }
    }

    /** Bytes written to a PrintStream, passed on to a PrintWriter (the streams picocli gave this command). */
    private static final class WriterStream extends java.io.OutputStream {
        private final PrintWriter target;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        WriterStream(PrintWriter target) { this.target = target; }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n' || b == '\r') flush();
        }

        @Override
        public synchronized void flush() {
            target.print(line.toString(java.nio.charset.StandardCharsets.UTF_8));
            target.flush();
            line.reset();
        }
    }
}
