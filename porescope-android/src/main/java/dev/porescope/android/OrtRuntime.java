package dev.porescope.android;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;

import java.io.File;
import java.nio.FloatBuffer;
import java.util.Collections;

/**
 * A {@code .onnx} or {@code .ort} model on ONNX Runtime. Uses only the {@code ai.onnxruntime} Java API,
 * which is the same in {@code onnxruntime-android} and the desktop jar (so this class also runs on the JVM).
 */
final class OrtRuntime implements SegmentationModel {
    private final OrtSession session;
    private final String inputName;
    private final ModelCard card;

    private OrtRuntime(OrtSession session, ModelCard card) {
        this.session = session;
        this.inputName = session.getInputNames().iterator().next();
        this.card = card;
    }

    /**
     * Opens the session and reads the card from the model's metadata. (Core's ModelFileReader reads the same card in pure
     * Java; this class still reads it through the session: cards without a spec are accepted here.)
     * ONNX Runtime reports a malformed file as an exception, not a crash.
     */
    static OrtRuntime load(File file, ModelFileType type, int threads) {
        ModelCards.checkReadable(file);
        ModelCards.checkOnnxHeader(file, type);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            session = env.createSession(file.getAbsolutePath(), options);
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load " + file.getName() + ": " + e.getMessage(), e);
        }
        try {
            String json = session.getMetadata().getCustomMetadata().get(ModelCard.FILE_NAME);
            if (json == null) {
                throw new IllegalArgumentException(file.getName() + " is an ONNX model but not a PoreScope model: its metadata"
                        + " has no " + ModelCard.FILE_NAME + " model card (make phone models with: porescope export --format "
                        + type.extension.substring(1) + ")");
            }
            ModelCard card = ModelCards.parse(json, file, type);
            if (session.getInputNames().size() != 1) {
                throw new IllegalArgumentException(file.getName() + " has " + session.getInputNames().size()
                        + " inputs; a PoreScope model has one (the luma tile)");
            }
            return new OrtRuntime(session, card);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            if (e instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException("ONNX Runtime cannot read the metadata of " + file.getName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Plane predict(Plane tile) {
        int w = tile.width();
        int h = tile.height();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(tile.values()), new long[] {1, 1, h, w});
             OrtSession.Result result = session.run(Collections.singletonMap(inputName, input))) {
            OnnxValue value = result.get(0);
            if (!(value instanceof OnnxTensor)) {
                throw new IllegalStateException("model output is a " + value.getType() + ", expected a tensor");
            }
            OnnxTensor output = (OnnxTensor) value;
            FloatBuffer buffer = output.getFloatBuffer();
            if (buffer == null) {
                throw new IllegalStateException("model output is " + output.getInfo().type + ", expected float32");
            }
            float[] data = new float[buffer.remaining()];
            buffer.get(data);
            return ModelOutputs.poreProbability(data, output.getInfo().getShape(), w, h);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a " + w + "x" + h + " tile: " + e.getMessage(), e);
        }
    }

    @Override
    public int margin() { return card.spec() == null ? 0 : card.spec().margin(); }

    @Override
    public int sizeMultiple() { return card.spec() == null ? 1 : card.spec().sizeMultiple(); }

    @Override
    public ModelCard card() { return card; }

    @Override
    public void close() { closeQuietly(session); }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException | RuntimeException ignored) {
            // closing twice or after a failed load: nothing left to release
        }
    }
}
