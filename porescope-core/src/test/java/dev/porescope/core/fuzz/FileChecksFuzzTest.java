package dev.porescope.core.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.porescope.core.io.ImageCheck;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.modelfile.ModelFileException;
import dev.porescope.core.modelfile.ModelFileReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz tests of the pure-Java checks that stand between a user's file and native code: the PNG
 * structure walk, the model-file reader (zip, protobuf and flatbuffer checks, card, limits), the
 * model card JSON, the lite bytecode version. Any input may be refused, but
 * only with the project's own exception ({@link IllegalArgumentException} and its subclasses);
 * anything else (a NullPointerException, an endless loop, running out of memory) is a finding.
 *
 * <p>{@code mvn test} runs them in Jazzer's regression mode: the seeds in
 * {@code src/test/resources/dev/porescope/core/fuzz/FileChecksFuzzTestInputs/} plus an empty input,
 * in well under a second. Fuzzing for real (README "Fuzzing"):
 * {@code JAZZER_FUZZ=1 mvn -o -pl porescope-core test -Dtest=FileChecksFuzzTest#pngStructure}.
 */
class FileChecksFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void pngStructure(byte[] file) throws IOException {
        try {
            ImageCheck.checkPng(new ByteArrayInputStream(file));
        } catch (ImageCheck.BadImageException expected) {
            // refused with a reason: fine
        }
    }

    @FuzzTest(maxDuration = "60s")
    void modelCardJson(byte[] bytes) {
        String json = new String(bytes, StandardCharsets.UTF_8);
        try {
            ModelCard card = Json.readCard(json);
            // a card that was accepted must survive a round trip through its own JSON
            Json.readCard(Json.writeCard(card));
        } catch (IllegalArgumentException expected) {
            // malformed or not a PoreScope card: refused with a message
        }
    }

    @FuzzTest(maxDuration = "60s")
    void modelFile(byte[] file) {
        for (String name : new String[] {"m.pt", "m.ptl", "m.onnx", "m.ort"}) {
            try {
                ModelFileReader.parse(name, file);
            } catch (ModelFileException expected) {
                // not a PoreScope model file, or a damaged one: refused with a message
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void liteBytecodeVersion(byte[] pkl) {
        ModelFileReader.bytecodeVersion(pkl); // never throws: a version or empty
    }
}
