package dev.porescope.onnx;

import dev.porescope.core.image.Plane;
import dev.porescope.core.json.FloatCodec;
import dev.porescope.core.model.ModelCard.GoldenPair;

/** Golden pairs as planes (floats through core's {@link FloatCodec}). */
final class Golden {
    private Golden() { }

    static float[] decode(String base64, int expected) {
        float[] out = FloatCodec.decode(base64);
        if (out.length != expected) {
            throw new IllegalArgumentException("golden pair has " + out.length + " values, expected " + expected);
        }
        return out;
    }

    static Plane input(GoldenPair g) {
        return new Plane(g.width(), g.height(), decode(g.input(), g.width() * g.height()));
    }

    static Plane probability(GoldenPair g) {
        return new Plane(g.width(), g.height(), decode(g.probability(), g.width() * g.height()));
    }

    static GoldenPair of(Plane input, Plane probability) {
        return new GoldenPair(input.width(), input.height(), FloatCodec.encode(input.values()),
                FloatCodec.encode(probability.values()));
    }
}
