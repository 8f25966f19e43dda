package dev.porescope.torch.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.modelfile.ModelFileException;
import dev.porescope.torch.UNetModule;
import dev.porescope.torch.nativ.Torch;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.OutputArchive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A training checkpoint: one zip file holding the TorchScript module ({@code model.pt}, with its
 * card), the Adam state ({@code optimizer.pt}) and the trainer's state ({@code state.json}:
 * next step, best score, log). Written to a temporary name and renamed, so a run killed while
 * writing leaves the previous checkpoint intact. Batches depend only on (seed, step), so these
 * three are all a resumed run needs to compute exactly what the uninterrupted run would have.
 */
final class Checkpoint {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * @param config        the run's config fingerprint; a resumed run must match it
     * @param step          steps done
     * @param bestScore     best validation score so far (-1 when none)
     * @param bestStep      step of the best model
     * @param bestThreshold its threshold
     * @param bestMetrics   its validation metrics
     * @param seconds       training time so far
     * @param log           the training log so far
     */
    record State(String config, int step, double bestScore, int bestStep, double bestThreshold,
                 Map<String, Double> bestMetrics, double seconds, List<TrainLog.Row> log) { }

    record Loaded(UNetModule module, State state) { }

    private Checkpoint() { }

    static void write(Path file, UNetModule module, ModelCard card, Optimizer optimizer, State state) {
        Path dir = null;
        Path tmpZip = file.toAbsolutePath().resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            dir = Files.createTempDirectory(file.toAbsolutePath().getParent(), ".ckpt-");
            Path model = dir.resolve("model.pt");
            Path adam = dir.resolve("optimizer.pt");
            module.save(model, card);
            Torch.run("saving the optimizer state", () -> {
                OutputArchive archive = new OutputArchive();
                optimizer.save(archive);
                archive.save_to(adam.toString());
            });
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmpZip))) {
                put(zip, "model.pt", model);
                put(zip, "optimizer.pt", adam);
                zip.putNextEntry(new ZipEntry("state.json"));
                zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
                zip.closeEntry();
            }
            Files.move(tmpZip, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmpZip);
            deleteTree(dir);
        }
    }

    private static void put(ZipOutputStream zip, String name, Path file) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        Files.copy(file, zip);
        zip.closeEntry();
    }

    /** Reads the trainer state only (cheap; no native code). */
    static State readState(Path file) {
        try (ZipFile zip = open(file)) {
            ZipEntry e = zip.getEntry("state.json");
            if (e == null || zip.getEntry("model.pt") == null || zip.getEntry("optimizer.pt") == null) {
                throw new TrainingException(file + " is not a PoreScope checkpoint (model.pt, optimizer.pt or state.json missing); delete it to start over");
            }
            try (InputStream in = zip.getInputStream(e)) {
                return JSON.readValue(in, State.class);
            }
        } catch (IOException e) {
            throw new TrainingException("cannot read checkpoint " + file + ": " + e.getMessage() + "; delete it to start over", e);
        }
    }

    /** Loads module and optimizer state; the optimizer must already hold the module's parameters. */
    static UNetModule readModule(Path file) {
        Path dir = null;
        try (ZipFile zip = open(file)) {
            dir = Files.createTempDirectory(".ckpt-read-");
            Path model = extract(zip, "model.pt", dir);
            try {
                return UNetModule.load(model);
            } catch (ModelFileException e) {
                throw new TrainingException("checkpoint " + file + " holds a damaged model (" + e.getMessage() + "); delete it to start over", e);
            }
        } catch (IOException e) {
            throw new TrainingException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        } finally {
            deleteTree(dir);
        }
    }

    static void readOptimizer(Path file, Optimizer optimizer) {
        Path dir = null;
        try (ZipFile zip = open(file)) {
            dir = Files.createTempDirectory(".ckpt-read-");
            Path adam = extract(zip, "optimizer.pt", dir);
            Torch.run("loading the optimizer state from " + file, () -> {
                InputArchive archive = new InputArchive();
                archive.load_from(adam.toString());
                optimizer.load(archive);
            });
        } catch (IOException e) {
            throw new TrainingException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        } finally {
            deleteTree(dir);
        }
    }

    private static ZipFile open(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new TrainingException("checkpoint " + file + " is damaged or truncated (" + e.getMessage()
                    + "); delete it to start over, or train without --resume", e);
        }
    }

    private static Path extract(ZipFile zip, String name, Path dir) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) throw new TrainingException("checkpoint " + zip.getName() + " has no " + name + "; delete it to start over");
        Path out = dir.resolve(name);
        try (InputStream in = zip.getInputStream(e); OutputStream o = Files.newOutputStream(out)) {
            in.transferTo(o);
        } catch (ZipException ex) {
            throw new TrainingException("checkpoint " + zip.getName() + " is damaged (" + ex.getMessage() + "); delete it to start over", ex);
        }
        return out;
    }

    private static void deleteQuietly(Path p) {
        try {
            if (p != null) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stale temporary file is harmless
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(Checkpoint::deleteQuietly);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
