package dev.porescope.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porescope.cli.MainTest.Run;
import dev.porescope.cli.models.DefaultModel;
import dev.porescope.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.porescope.cli.MainTest.porescope;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code porescope demo} on the embedded default model, shrunk to two small photos. */
class DemoCommandTest {

    @Test
    void runsThePapersExperimentOnTheEmbeddedModels(@TempDir Path dir) throws Exception {
        for (String file : new String[]{"default.pt", "default.ptl", "default.onnx", "default-int8.onnx"}) {
            assertTrue(DefaultModel.class.getResource(DefaultModel.RESOURCE_DIR + file) != null,
                    "the CLI jar embeds " + file);
        }
        Path out = dir.resolve("demo");
        // the .ptl runs on the lite-interpreter runner when it is built (as bin/porescope passes it), else on its copy
        String property = dev.porescope.torch.mobile.LiteRunnerModel.PROPERTY;
        String saved = System.getProperty(property);
        Path runner = Path.of("../interop/target/porescope-lite-runner").toAbsolutePath().normalize();
        boolean lite = Files.isExecutable(runner);
        if (lite) System.setProperty(property, runner.toString());
        Run demo;
        try {
            demo = porescope("demo", "--out", out.toString(), "--count", "2", "--size", "128", "--seed", "4");
        } finally {
            if (saved == null) System.clearProperty(property);
            else System.setProperty(property, saved);
        }
        assertEquals(0, demo.code(), demo.err());
        assertTrue(demo.out().contains("| agreement |"), demo.out());
        for (String device : new String[]{"lite", "onnx", "onnx-int8"}) {
            JsonNode parity = Json.mapper().readTree(Files.readString(out.resolve("parity-" + device + ".json")));
            assertEquals(2, parity.get("count").asInt());
            assertEquals(2, parity.get("per_image").size());
            assertTrue(Files.size(out.resolve("fig2-" + device + ".png")) > 0);
        }
        JsonNode ptl = Json.mapper().readTree(Files.readString(out.resolve("parity-lite.json")));
        if (lite) {
            assertTrue(ptl.get("device_runtime").asText().startsWith("pytorch-lite-interpreter 1.13"), ptl.toString());
        } else {
            assertTrue(ptl.get("device_runtime_note").asText().contains("TorchScript copy"), ptl.toString());
        }
        // the fp32 phone models compute what the server computes: identical pore masks
        for (String device : new String[]{"lite", "onnx"}) {
            JsonNode parity = Json.mapper().readTree(Files.readString(out.resolve("parity-" + device + ".json")));
            assertEquals(1.0, parity.get("min").asDouble(), 1e-9, device);
        }
        assertTrue(Files.exists(out.resolve("analysis").resolve("synth-0000.overlay.png")));
    }
}
