package dev.porescope.torch;

import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;

/** Model card JSON through core's shared {@link Json}, made ASCII-only for libtorch's C strings. */
final class Cards {
    private Cards() { }

    static ModelCard read(String json) {
        return Json.readCard(json);
    }

    static String write(ModelCard card) {
        return Json.writeCard(card);
    }
}
