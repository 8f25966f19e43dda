package dev.porescope.torch.mobile;

import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.modelfile.ModelFileException;

import java.nio.file.Path;

/** Cards as the {@code .ptl} code needs them, on top of core's {@link Json}. */
final class Cards {
    private Cards() { }

    /** Card JSON with every non-ASCII character escaped, so it passes unchanged as a C string to libtorch. */
    static String asciiJson(ModelCard card) {
        return dev.porescope.torch.Cards.asciiJson(Json.writeCard(card));
    }

    /** The error for an unusable model file: the file, what is wrong, what to do. */
    static ModelFileException bad(Path file, String problem) {
        return new ModelFileException(file + ": " + problem);
    }

    static ModelFileException bad(Path file, String problem, Throwable cause) {
        return new ModelFileException(file + ": " + problem, cause);
    }
}
