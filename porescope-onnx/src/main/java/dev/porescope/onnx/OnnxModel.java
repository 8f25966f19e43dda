package dev.porescope.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.unet.UNetSpec;

import java.nio.file.Path;

/**
 * A PoreScope U-Net run by ONNX Runtime from an {@code .onnx} or {@code .ort} file (the same Java
 * API as ONNX Runtime's Android package). The file is read and checked in Java first (format,
 * truncation, model card); ONNX Runtime only sees files that passed. {@link #predict} may be
 * called from several threads at once (an OrtSession is thread-safe).
 */
public final class OnnxModel implements SegmentationModel {

    /** Intra-op threads when none are given. */
    public static final int DEFAULT_THREADS = 2;

    private final ModelFile file;
    private final ModelCard card;
    private final UNetSpec spec;
    private final OrtRunner runner;
    private volatile boolean closed;

    private OnnxModel(ModelFile file, OrtRunner runner) {
        this.file = file;
        this.card = file.card();
        this.spec = card.spec();
        this.runner = runner;
    }

    public static OnnxModel load(Path path) { return load(path, DEFAULT_THREADS); }

    /**
     * Loads a model file. Throws IllegalArgumentException (file named, what is wrong) for a file
     * that is missing, truncated, not a model, or has no PoreScope card, before any native call.
     */
    public static OnnxModel load(Path path, int intraOpThreads) {
        if (intraOpThreads < 1) throw new IllegalArgumentException("intra-op threads must be >= 1, got " + intraOpThreads);
        ModelFile file = ModelFile.read(path);
        try {
            // in memory only, so the machine-specific layouts of ALL are fine here (not when saving)
            return new OnnxModel(file, new OrtRunner(file.bytes(), file.card().spec().classes(), intraOpThreads,
                    OrtSession.SessionOptions.OptLevel.ALL_OPT, null));
        } catch (OrtException e) {
            throw new IllegalArgumentException("model file " + path + " was rejected by ONNX Runtime: "
                    + e.getMessage() + "; export it again", e);
        }
    }

    public Path path() { return file.path(); }

    public ModelFile.Format format() { return file.format(); }

    @Override
    public Plane predict(Plane tile) {
        if (closed) throw new IllegalStateException("model " + file.path() + " is closed");
        int m = sizeMultiple();
        if (tile.width() % m != 0 || tile.height() % m != 0) {
            throw new IllegalArgumentException("tile of " + tile.width() + "x" + tile.height()
                    + " is not a multiple of " + m + " on each side, which model " + spec.name() + " needs");
        }
        try {
            return runner.pore(tile);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on model " + file.path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Largest |difference| between this model's output and the golden outputs in its card
     * (0 when the card has none): the on-device check that it computes what the server computed.
     */
    public double goldenMaxDifference() {
        double worst = 0;
        if (card.golden() == null) return 0;
        for (ModelCard.GoldenPair g : card.golden()) {
            float[] expected = Golden.probability(g).values();
            float[] actual = predict(Golden.input(g)).values();
            for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        return worst;
    }

    @Override
    public int margin() { return spec.margin(); }

    @Override
    public int sizeMultiple() { return spec.sizeMultiple(); }

    @Override
    public ModelCard card() { return card; }

    /** Releases the session; call it once no predict is in flight. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        runner.close();
    }
}
