package dev.porescope.torch;

import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;

/** Model card JSON through core's shared {@link Json}, made ASCII-only for libtorch's C strings. */
public final class Cards {
    private Cards() { }

    static String write(ModelCard card) {
        return Json.writeCard(card);
    }

    /** JSON with every non-ASCII character escaped (only strings can hold them), safe to pass as a C string. */
    public static String asciiJson(String json) {
        StringBuilder s = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c < 128) s.append(c);
            else s.append(String.format("\\u%04x", (int) c));
        }
        return s.toString();
    }
}
