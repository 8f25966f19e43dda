package dev.porescope.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porescope.core.model.ModelCard;

/**
 * Model card JSON for ONNX metadata. Stand-in for core's {@code json.Json} (branch core) until it
 * is merged; then {@link #write} and {@link #read} should delegate to it.
 */
final class CardJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private CardJson() { }

    static String write(ModelCard card) {
        try {
            return MAPPER.writeValueAsString(card);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write model card: " + e.getMessage(), e);
        }
    }

    /** Parses a card; the error says what is wrong with the JSON. */
    static ModelCard read(String json) {
        ModelCard card;
        try {
            card = MAPPER.readValue(json, ModelCard.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("model card is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (card == null || !ModelCard.FORMAT.equals(card.format())) {
            throw new IllegalArgumentException("model card has format '" + (card == null ? null : card.format())
                    + "', expected '" + ModelCard.FORMAT + "'");
        }
        return card;
    }
}
