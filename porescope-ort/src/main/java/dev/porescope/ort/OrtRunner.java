package dev.porescope.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.porescope.core.image.Plane;
import dev.porescope.core.model.RuntimeModel;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/** One ONNX Runtime session over model bytes: the desktop's one place that creates sessions and runs them. */
final class OrtRunner implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final int classes;

    /**
     * @param saveOrtTo when not null, ONNX Runtime writes its optimised graph there in ORT format
     */
    OrtRunner(byte[] model, int classes, int intraOpThreads, OrtSession.SessionOptions.OptLevel level, Path saveOrtTo)
            throws OrtException {
        this.classes = classes;
        options = new OrtSession.SessionOptions();
        try {
            if (intraOpThreads > 0) options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(level);
            if (saveOrtTo != null) {
                options.addConfigEntry("session.save_model_format", "ORT");
                options.setOptimizedModelFilePath(saveOrtTo.toString());
            }
            session = env.createSession(model, options);
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /** All class probabilities [classes, H, W] of one tile. */
    float[] probabilities(Plane tile) throws OrtException {
        int w = tile.width(), h = tile.height();
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(tile.values()), new long[]{1, 1, h, w});
             OrtSession.Result result = session.run(Map.of(OnnxWriter.INPUT, x))) {
            FloatBuffer fb = ((OnnxTensor) result.get(0)).getFloatBuffer();
            if (fb.remaining() != classes * w * h) {
                throw new IllegalStateException("model returned " + fb.remaining() + " values for a " + w + "x" + h
                        + " tile, expected " + classes * w * h);
            }
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
        }
    }

    /** Pore (class 1) probability of one tile. */
    Plane pore(Plane tile) throws OrtException {
        return RuntimeModel.poreChannel(probabilities(tile), new long[]{1, classes, tile.height(), tile.width()},
                tile.width(), tile.height());
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close ONNX Runtime session: " + e.getMessage(), e);
        } finally {
            options.close();
        }
    }
}
