package dev.porescope.torch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porescope.core.model.ModelCard;

import java.io.UncheckedIOException;

/** Model card JSON (until core's shared Json is merged; then this delegates to it). */
final class Cards {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Cards() { }

    static ModelCard read(String json) {
        try {
            return MAPPER.readValue(json, ModelCard.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    static String write(ModelCard card) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(card);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
