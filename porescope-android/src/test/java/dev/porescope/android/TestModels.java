package dev.porescope.android;

import dev.porescope.core.image.Plane;
import dev.porescope.core.json.FloatCodec;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.preprocess.Preprocessing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/** Cards and stand-in runtimes for tests: the native Android runtimes cannot run on the JVM. */
final class TestModels {
    private TestModels() { }

    static ModelCard card(String runtime, String precision, List<ModelCard.GoldenPair> golden) {
        return new ModelCard(ModelCard.FORMAT, "test", null, Preprocessing.standard(), 0.5, 1, runtime, precision,
                null, 1, 0, Collections.emptyMap(), Collections.emptyMap(), golden, Collections.emptyMap());
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
