package dev.porescope.torch.mobile;

import dev.porescope.core.json.FloatCodec;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.torch.ModelFiles.NotAModelException;

import java.nio.file.Path;

/** Cards and golden pairs as the {@code .ptl} code needs them, on top of core's {@link Json} and {@link FloatCodec}. */
final class Cards {
    private Cards() { }

    /** Card JSON with every non-ASCII character escaped, so it passes unchanged as a C string to libtorch. */
    static String asciiJson(ModelCard card) {
        return dev.porescope.torch.Cards.asciiJson(Json.writeCard(card));
    }

    /** The error for an unusable model file: the file, what is wrong, what to do. */
    static NotAModelException bad(Path file, String problem) {
        return new NotAModelException(file + ": " + problem);
    }

    static NotAModelException bad(Path file, String problem, Throwable cause) {
        return new NotAModelException(file + ": " + problem, cause);
    }

    static String encode(float[] values) { return FloatCodec.encode(values); }

    static float[] decode(String base64) { return FloatCodec.decode(base64); }
}
