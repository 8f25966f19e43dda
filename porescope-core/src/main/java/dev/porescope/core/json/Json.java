package dev.porescope.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.porescope.core.model.ModelCard;

/**
 * The one JSON configuration of PoreScope (model cards, preprocessing, evaluation reports):
 * unknown properties are ignored (newer files stay readable), records map by component name.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
    private static final ObjectMapper PRETTY = MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() { }

    /** The shared mapper; do not reconfigure it. */
    public static ObjectMapper mapper() { return MAPPER; }

    public static String write(Object value) { return write(value, false); }

    public static String write(Object value, boolean pretty) {
        try {
            return (pretty ? PRETTY : MAPPER).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Parses {@code json}; a malformed document is an {@link IllegalArgumentException} saying where. */
    public static <T> T read(String json, Class<T> type) {
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) throw new IllegalArgumentException("expected a JSON " + type.getSimpleName() + ", got null");
            return value;
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")";
            String what = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + " JSON" + where + ": " + what, e);
        }
    }

    /** A model card from JSON; throws when the JSON is malformed or not a PoreScope card. */
    public static ModelCard readCard(String json) {
        ModelCard card = read(json, ModelCard.class);
        if (!ModelCard.FORMAT.equals(card.format())) {
            throw new IllegalArgumentException("not a PoreScope model card: format is '" + card.format()
                    + "', expected '" + ModelCard.FORMAT + "'");
        }
        return card;
    }

    /** A model card as pretty-printed JSON. */
    public static String writeCard(ModelCard card) {
        return write(card, true);
    }
}
