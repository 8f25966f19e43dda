package dev.porescope.android;

import dev.porescope.core.image.Plane;
import dev.porescope.core.json.FloatCodec;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.onnx.OnnxExport;
import dev.porescope.onnx.Precision;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Cards, model files and stand-in runtimes for tests (PyTorch Mobile's natives cannot run on the JVM;
 * ONNX Runtime's desktop build can).
 */
final class TestModels {
    private TestModels() { }

    /**
     * The smallest U-Net of the spec family: one level, one 1x1 conv to two channels (ReLU), the 1x1
     * head, softmax. With {@link #sigmoidWeights} it computes {@link #sigmoid}: the conv gives
     * relu(x) and relu(-x), the head's pore logit is their difference x against a background logit
     * 0, and softmax(0, x) of the pore class is 1 / (1 + e^-x).
     */
    static final UNetSpec SPEC = new UNetSpec("sigmoid", 1, 2, List.of(2), 1, 1, 1, false, 0.01);

    /** Weights by {@link UNetSpec#parameters()} name (conv weights [out, in, 1, 1]) that make {@link #SPEC} the logistic. */
    static Map<String, float[]> sigmoidWeights() {
        Map<String, float[]> w = new LinkedHashMap<>();
        w.put("enc0_w", new float[] {1, -1});
        w.put("enc0_b", new float[] {0, 0});
        w.put("head_w", new float[] {0, 0, 1, -1});
        w.put("head_b", new float[] {0, 0});
        return w;
    }

    static ModelCard card(String runtime, String precision, List<ModelCard.GoldenPair> golden) {
        return new ModelCard(ModelCard.FORMAT, "test", SPEC, Preprocessing.standard(), 0.5, 1, runtime, precision,
                null, 1, 0, Collections.emptyMap(), Collections.emptyMap(), golden, Collections.emptyMap());
    }

    /**
     * A real {@code .onnx} of {@link #SPEC} written by the project's exporter ({@code porescope export}'s
     * OnnxExport), with golden pairs computed here by {@link #sigmoid}: the exporter keeps them.
     */
    static File sigmoidOnnx(File dir, String name) {
        File file = new File(dir, name);
        OnnxExport.export(card("torchscript", "fp32", golden(TestModels::sigmoid, 11, 8, 16)), sigmoidWeights(),
                Precision.FP32, Collections.emptyList(), file.toPath());
        return file;
    }

    /** The logistic function of each value: a model whose answer a test can compute on its own. */
    static Plane sigmoid(Plane in) {
        float[] v = in.values();
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (1 / (1 + Math.exp(-v[i])));
        }
        return new Plane(in.width(), in.height(), out);
    }

    /** Standard-normal tiles (preprocessed input is standardised) with the server's output for each. */
    static List<ModelCard.GoldenPair> golden(UnaryOperator<Plane> server, long seed, int... sizes) {
        Random random = new Random(seed);
        List<ModelCard.GoldenPair> pairs = new ArrayList<>();
        for (int size : sizes) {
            float[] v = new float[size * size];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (3 * random.nextGaussian());
            }
            Plane input = new Plane(size, size, v);
            pairs.add(new ModelCard.GoldenPair(size, size, FloatCodec.encode(v), FloatCodec.encode(server.apply(input).values())));
        }
        return pairs;
    }

    /** A runtime stand-in: any function of the tile, with a card. */
    static final class FakeModel implements SegmentationModel {
        final ModelCard card;
        final UnaryOperator<Plane> function;
        int calls;

        FakeModel(ModelCard card, UnaryOperator<Plane> function) {
            this.card = card;
            this.function = function;
        }

        @Override
        public Plane predict(Plane tile) {
            calls++;
            return function.apply(tile);
        }

        @Override
        public int margin() { return 0; }

        @Override
        public ModelCard card() { return card; }
    }
}
