package dev.porescope.core.json;

import dev.porescope.core.model.ModelCard;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.unet.UNetSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest {

    static ModelCard card() {
        float[] input = {0f, 1.5f, -2.25f, Float.MIN_VALUE};
        return new ModelCard(ModelCard.FORMAT, "slim", UNetSpec.named("slim"),
                new Preprocessing(25, 0.5, 1, 0.3, Preprocessing.STANDARDIZE), 0.45, 4, "torchscript", "fp32",
                "abc123", 7, 1000, Map.of("dice", 0.5), Map.of("pytorch", "2.10.0"),
                List.of(new ModelCard.GoldenPair(2, 2, FloatCodec.encode(input), FloatCodec.encode(input))),
                Map.of("note", "x"));
    }

    @Test
    void cardRoundTrips() {
        ModelCard card = card();
        String json = Json.writeCard(card);
        assertTrue(json.contains("\n"), "pretty printed");
        ModelCard back = Json.readCard(json);
        assertEquals(card, back);
        assertEquals(card.spec().margin(), back.spec().margin());
    }

    @Test
    void cardFieldNamesAreTheRecordComponentNames() throws Exception {
        // the explicit @JsonProperty names (for Android's desugared records) must keep the card format unchanged
        var tree = Json.mapper().readTree(Json.writeCard(card()));
        assertEquals(componentNames(ModelCard.class), fieldNames(tree));
        assertEquals(componentNames(UNetSpec.class), fieldNames(tree.get("spec")));
        // normalizeSigma is written only for local normalisation, so older cards keep their exact text
        java.util.Set<String> withoutSigma = componentNames(Preprocessing.class);
        withoutSigma.remove("normalizeSigma");
        assertEquals(withoutSigma, fieldNames(tree.get("preprocessing")));
        var local = Json.mapper().readTree(Json.write(Preprocessing.local(16, 32)));
        assertEquals(componentNames(Preprocessing.class), fieldNames(local));
        assertEquals(componentNames(ModelCard.GoldenPair.class), fieldNames(tree.get("golden").get(0)));
    }

    private static java.util.Set<String> componentNames(Class<?> record) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (var c : record.getRecordComponents()) names.add(c.getName());
        return names;
    }

    private static java.util.Set<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void unknownPropertiesAreIgnored() {
        String json = Json.write(card()).replaceFirst("\\{", "{\"fromTheFuture\":[1,2],");
        assertEquals(card(), Json.readCard(json));
    }

    @Test
    void badJsonIsAClearIllegalArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> Json.readCard("{\"format\": \"porescope-model/1\", "));
        assertTrue(e.getMessage().contains("ModelCard"), e.getMessage());
        var notOurs = assertThrows(IllegalArgumentException.class, () -> Json.readCard("{\"format\": \"other\"}"));
        assertTrue(notOurs.getMessage().contains("not a PoreScope model card"), notOurs.getMessage());
        var badPre = assertThrows(IllegalArgumentException.class, () -> Json.readCard(
                Json.write(card()).replace("\"standardize\"", "\"zscore\"")));
        assertTrue(badPre.getMessage().contains("zscore"), badPre.getMessage());
    }

    @Test
    void floatCodecIsLittleEndianFloat32() {
        float[] values = {1f, -0.5f, Float.NaN, Float.POSITIVE_INFINITY, 3.1415927f};
        String encoded = FloatCodec.encode(values);
        assertArrayEquals(values, FloatCodec.decode(encoded));
        // 1.0f is 0x3F800000: little-endian bytes 00 00 80 3F
        assertEquals("AACAPw==", FloatCodec.encode(new float[]{1f}));
        assertThrows(IllegalArgumentException.class, () -> FloatCodec.decode("AACA"));
        assertThrows(IllegalArgumentException.class, () -> FloatCodec.decode("not base64!"));
    }
}
