package dev.porescope.onnx;

import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard.GoldenPair;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * Golden pairs' float encoding (base64 of little-endian float32, row-major). Stand-in for core's
 * {@code json.FloatCodec} until branch core is merged.
 */
final class Golden {
    private Golden() { }

    static String encode(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return Base64.getEncoder().encodeToString(b.array());
    }

    static float[] decode(String base64, int expected) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("golden pair is not valid base64: " + e.getMessage(), e);
        }
        if (bytes.length != 4L * expected) {
            throw new IllegalArgumentException("golden pair has " + bytes.length / 4 + " values, expected " + expected);
        }
        float[] out = new float[expected];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    static Plane input(GoldenPair g) {
        return new Plane(g.width(), g.height(), decode(g.input(), g.width() * g.height()));
    }

    static Plane probability(GoldenPair g) {
        return new Plane(g.width(), g.height(), decode(g.probability(), g.width() * g.height()));
    }

    static GoldenPair of(Plane input, Plane probability) {
        return new GoldenPair(input.width(), input.height(), encode(input.values()), encode(probability.values()));
    }
}
