package dev.porescope.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.porescope.core.image.Plane;
import dev.porescope.core.model.RuntimeModel;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One ONNX Runtime session over model bytes, the session wrapper of every model run on the desktop
 * and on Android (the {@code ai.onnxruntime} API is the same in the desktop jar and the
 * onnxruntime-android AAR; only int8 calibration opens a session of its own, to fetch intermediate
 * tensors). Any graph with one float input: {@link #run} gives every float output; {@link #pore} is
 * the PoreScope segmentation call. Thread-safe like the session itself.
 */
public final class OrtRunner implements AutoCloseable {

    /** One output tensor of a run: its name in the graph, its shape and its values (row-major). */
    public record Output(String name, long[] shape, float[] values) { }

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final String input;

    /** A session on {@code intraOpThreads} threads (0: ONNX Runtime's default), fully optimised in memory. */
    public OrtRunner(byte[] model, int intraOpThreads) throws OrtException {
        this(model, intraOpThreads, OrtSession.SessionOptions.OptLevel.ALL_OPT, null);
    }

    /**
     * @param saveOrtTo when not null, ONNX Runtime writes its optimised graph there in ORT format
     */
    public OrtRunner(byte[] model, int intraOpThreads, OrtSession.SessionOptions.OptLevel level, Path saveOrtTo)
            throws OrtException {
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
        input = session.getInputNames().iterator().next();
    }

    /** How many inputs the graph has ({@link #run} feeds the first). */
    public int inputCount() { return session.getInputNames().size(); }

    /** Every output of the graph, in order, for one float input of {@code shape}. */
    public List<Output> run(float[] values, long... shape) throws OrtException {
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
             OrtSession.Result result = session.run(Map.of(input, x))) {
            List<Output> outputs = new ArrayList<>(result.size());
            for (Map.Entry<String, OnnxValue> e : result) {
                if (!(e.getValue() instanceof OnnxTensor tensor)) {
                    throw new IllegalStateException("model output " + e.getKey() + " is a " + e.getValue().getType() + ", expected a tensor");
                }
                FloatBuffer fb = tensor.getFloatBuffer();
                if (fb == null) {
                    throw new IllegalStateException("model output " + e.getKey() + " is " + tensor.getInfo().type + ", expected float32");
                }
                float[] out = new float[fb.remaining()];
                fb.get(out);
                outputs.add(new Output(e.getKey(), tensor.getInfo().getShape(), out));
            }
            return outputs;
        }
    }

    /**
     * Pore (class 1) probability of one tile of a PoreScope U-Net with {@code classes} output classes:
     * input [1, 1, H, W], first output [1, classes, H, W].
     */
    public Plane pore(Plane tile, int classes) throws OrtException {
        int w = tile.width(), h = tile.height();
        Output out = run(tile.values(), 1, 1, h, w).get(0);
        if (out.values().length != classes * w * h) {
            throw new IllegalStateException("model returned " + out.values().length + " values for a " + w + "x" + h
                    + " tile, expected " + classes * w * h);
        }
        return RuntimeModel.poreChannel(out.values(), new long[]{1, classes, h, w}, w, h);
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
