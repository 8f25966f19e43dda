package dev.porescope.torch.mobile;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porescope.core.model.ModelCard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * Model card JSON and the golden pairs' float encoding (base64 of little-endian float32).
 * TODO(merge): replace with core's {@code json.Json} and {@code json.FloatCodec} once branch core lands.
 */
final class Cards {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            // ASCII only, so the card passes unchanged through JavaCPP's std::string conversion
            .configure(JsonGenerator.Feature.ESCAPE_NON_ASCII, true);

    private Cards() { }

    static ModelCard read(String json) throws IOException {
        return MAPPER.readValue(json, ModelCard.class);
    }

    static String write(ModelCard card) {
        try {
            return MAPPER.writeValueAsString(card);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String encode(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return Base64.getEncoder().encodeToString(b.array());
    }

    static float[] decode(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("float data of " + bytes.length + " bytes is not a whole number of float32 values");
        }
        float[] out = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
