package dev.porescope.ort;

import ai.onnxruntime.OrtException;
import dev.porescope.core.image.Plane;
import dev.porescope.core.model.RuntimeModel;
import dev.porescope.core.modelfile.ModelFile;
import dev.porescope.core.modelfile.ModelFileException;
import dev.porescope.core.modelfile.ModelFileKind;
import dev.porescope.core.modelfile.ModelFileReader;
import dev.porescope.core.parity.Golden;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A PoreScope U-Net run by ONNX Runtime from an {@code .onnx} or {@code .ort} file, on the desktop
 * and on Android (the same {@code ai.onnxruntime} Java API). The file is read and checked in pure
 * Java first (core's {@link ModelFileReader}: format, truncation, card; plus, on the desktop, the
 * graph against the card's spec, a check the export module owns because it needs the writer);
 * ONNX Runtime only sees files that passed, and a loaded file must reproduce the golden pairs of
 * its card. {@link #predict} may be called from several threads at once.
 */
public final class OnnxModel extends RuntimeModel {

    /** Intra-op threads when none are given. */
    public static final int DEFAULT_THREADS = 2;

    private final ModelFileKind kind;
    private final OrtRunner runner;

    /** Keeps the kind, not the file: its bytes are ONNX Runtime's now (a phone need not hold them twice). */
    private OnnxModel(ModelFile file, OrtRunner runner) {
        super(file.card(), file.name());
        this.kind = file.kind();
        this.runner = runner;
    }

    /**
     * Loads a model file on {@code intraOpThreads} threads (0: ONNX Runtime's default). Throws
     * {@link ModelFileException} (file named, what is wrong) for a file that is missing, truncated,
     * not a model, not a PoreScope graph, or no longer computes its golden outputs.
     *
     * @param graphCheck pure-Java check of the read file before ONNX Runtime sees it: on the desktop the
     *                   export module's {@code GraphCheck::check} (the graph is the one written for the card's
     *                   spec). Asked for on every call, so that no desktop loader forgets it.
     */
    public static OnnxModel load(Path path, int intraOpThreads, Consumer<ModelFile> graphCheck) {
        if (intraOpThreads < 0) throw new IllegalArgumentException("intra-op threads must be >= 0, got " + intraOpThreads);
        ModelFile file = ModelFileReader.read(path);
        graphCheck.accept(requireOnnxRuntime(file));
        return Golden.verifiedOnLoad(open(file, intraOpThreads), path.toString());
    }

    /**
     * A session on a file core's {@link ModelFileReader} has read and checked, without running its
     * golden pairs (Android leaves that to the app's self-test, which reports rather than throws).
     */
    public static OnnxModel open(ModelFile file, int intraOpThreads) {
        requireOnnxRuntime(file);
        OrtRunner runner;
        try {
            // in memory only, so the machine-specific layouts of ALL are fine here (not when saving)
            runner = new OrtRunner(file.bytes(), intraOpThreads);
        } catch (OrtException e) {
            throw new ModelFileException(file.name() + ": was rejected by ONNX Runtime (" + e.getMessage().lines().findFirst().orElse("")
                    + "); export it again", e);
        }
        if (runner.inputCount() != 1) {
            int inputs = runner.inputCount();
            runner.close();
            throw new ModelFileException(file.name() + ": has " + inputs + " inputs; a PoreScope model has one (the luma tile)");
        }
        return new OnnxModel(file, runner);
    }

    private static ModelFile requireOnnxRuntime(ModelFile file) {
        if (!file.kind().onnxRuntime()) {
            throw new ModelFileException(file.name() + ": is " + file.kind().aDescription() + ", not an ONNX Runtime model (.onnx, .ort)");
        }
        return file;
    }

    public Path path() { return Path.of(source()); }

    public ModelFileKind format() { return kind; }

    @Override
    protected Plane run(Plane tile) {
        try {
            return runner.pore(tile, card().spec().classes());
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on model " + source() + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void release() {
        runner.close();
    }
}
