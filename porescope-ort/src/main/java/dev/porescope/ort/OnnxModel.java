package dev.porescope.ort;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.porescope.core.image.Plane;
import dev.porescope.core.model.RuntimeModel;
import dev.porescope.core.modelfile.ModelFile;
import dev.porescope.core.modelfile.ModelFileException;
import dev.porescope.core.modelfile.ModelFileKind;
import dev.porescope.core.modelfile.ModelFileReader;
import dev.porescope.core.parity.Golden;

import java.nio.file.Path;

/**
 * A PoreScope U-Net run by ONNX Runtime from an {@code .onnx} or {@code .ort} file (the same Java
 * API as ONNX Runtime's Android package). The file is read and checked in pure Java first (core's
 * {@link ModelFileReader}: format, truncation, card; for .onnx the graph against the card's spec,
 * {@link GraphCheck}); ONNX Runtime only sees files that passed, and a loaded file must reproduce
 * the golden pairs of its card. {@link #predict} may be called from several threads at once.
 */
public final class OnnxModel extends RuntimeModel {

    /** Intra-op threads when none are given. */
    public static final int DEFAULT_THREADS = 2;

    private final ModelFile file;
    private final Path path;
    private final OrtRunner runner;

    private OnnxModel(ModelFile file, Path path, OrtRunner runner) {
        super(file.card(), path.toString());
        this.file = file;
        this.path = path;
        this.runner = runner;
    }

    public static OnnxModel load(Path path) { return load(path, DEFAULT_THREADS); }

    /**
     * Loads a model file on {@code intraOpThreads} threads (0: ONNX Runtime's default). Throws
     * {@link ModelFileException} (file named, what is wrong) for a file that is missing, truncated,
     * not a model, not a PoreScope graph, or no longer computes its golden outputs.
     */
    public static OnnxModel load(Path path, int intraOpThreads) {
        if (intraOpThreads < 0) throw new IllegalArgumentException("intra-op threads must be >= 0, got " + intraOpThreads);
        ModelFile file = ModelFileReader.read(path);
        if (!file.kind().onnxRuntime()) {
            throw new ModelFileException(path + ": is " + file.kind().aDescription() + ", not an ONNX Runtime model (.onnx, .ort)");
        }
        GraphCheck.check(file);
        OnnxModel model;
        try {
            // in memory only, so the machine-specific layouts of ALL are fine here (not when saving)
            model = new OnnxModel(file, path, new OrtRunner(file.bytes(), file.card().spec().classes(), intraOpThreads,
                    OrtSession.SessionOptions.OptLevel.ALL_OPT, null));
        } catch (OrtException e) {
            throw new ModelFileException(path + ": was rejected by ONNX Runtime (" + e.getMessage().lines().findFirst().orElse("")
                    + "); export it again", e);
        }
        return Golden.verifiedOnLoad(model, path.toString());
    }

    public Path path() { return path; }

    public ModelFileKind format() { return file.kind(); }

    @Override
    protected Plane run(Plane tile) {
        try {
            return runner.pore(tile);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on model " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void release() {
        runner.close();
    }
}
