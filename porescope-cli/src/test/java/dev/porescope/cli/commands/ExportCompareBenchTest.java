package dev.porescope.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porescope.cli.MainTest.Run;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.modelfile.ModelFile;
import dev.porescope.core.modelfile.ModelFileException;
import dev.porescope.core.modelfile.ModelFileReader;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.UNetModule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.porescope.cli.MainTest.assertOneLineError;
import static dev.porescope.cli.MainTest.porescope;
import static org.junit.jupiter.api.Assertions.*;

/** {@code export}, {@code compare} and {@code bench infer} in-process, on a random-weight tiny U-Net and small synthetic photos. */
class ExportCompareBenchTest {
    static final int PHOTO = 64;

    @TempDir
    static Path dir;
    static Path data;
    static Path server;

    @BeforeAll
    static void serverModelAndPhotos() {
        data = dir.resolve("data");
        Run synth = porescope("synth", "--out", data.toString(), "--count", "3", "--size", Integer.toString(PHOTO), "--seed", "5");
        assertEquals(0, synth.code(), synth.err());
        server = dir.resolve("server.pt");
        save(UNetSpec.named("tiny"), UNetSpec.named("tiny"), server);
    }

    /** A server .pt with random weights of {@code weights} and a card that says {@code cardSpec}. */
    static void save(UNetSpec cardSpec, UNetSpec weights, Path file) {
        save(cardSpec, weights, 0.5, file);
    }

    static void save(UNetSpec cardSpec, UNetSpec weights, double threshold, Path file) {
        ModelCard card = new ModelCard(ModelCard.FORMAT, cardSpec.name(), cardSpec, Preprocessing.standard(), threshold, 2,
                "torchscript", "fp32", null, 3, 0, Map.of(), Map.of(), List.of(), Map.of());
        try (UNetModule module = UNetModule.create(weights, 3)) {
            module.save(file, card);
        }
    }

    private static Run export(String format, String precision, Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("export", "--model", server.toString(), "--format", format,
                "--precision", precision, "--out", out.toString()));
        args.addAll(Arrays.asList(more));
        return porescope(args.toArray(String[]::new));
    }

    @Test
    void everyExportRoundTripsThroughEval() {
        Object[][] cases = {{"ptl", "fp32"}, {"onnx", "fp32"}, {"onnx", "fp16"}, {"onnx", "int8"}, {"ort", "int8"}};
        List<List<ModelCard.GoldenPair>> goldens = new java.util.ArrayList<>();
        for (Object[] c : cases) {
            Path out = dir.resolve("rt-" + c[1] + "." + c[0]);
            Run run = export((String) c[0], (String) c[1], out, "--calibration", data.toString(), "--calibration-count", "2");
            assertEquals(0, run.code(), run.err());
            assertTrue(run.out().contains("wrote " + out), run.out());
            assertTrue(run.out().contains("golden max"), run.out());
            if (c[0].equals("ptl")) assertTrue(run.out().contains("bytecode v"), run.out());
            Run eval = porescope("eval", "--model", out.toString(), "--data", data.toString());
            assertEquals(0, eval.code(), eval.err());
            assertTrue(eval.out().contains("runtime " + c[0]), eval.out());
            Run analyze = porescope("analyze", data.resolve("images/synth-0001.png").toString(), "--model", out.toString(),
                    "--json", dir.resolve("rt-" + c[1] + "-" + c[0] + ".json").toString());
            assertEquals(0, analyze.code(), analyze.err());

            // what was written, read back independently of the exporter: kind by content, and the graph
            ModelFile written = ModelFileReader.read(out);
            assertEquals(c[0], written.kind().extension());
            assertEquals(c[1], written.card().precision());
            if (written.graph() != null) {
                List<String> ops = written.graph().nodes().stream().map(n -> n.opType()).toList();
                assertEquals(c[1].equals("int8"), ops.contains("QuantizeLinear"), c[1] + " graph: " + ops);
                assertEquals(c[1].equals("fp16"), ops.contains("Cast"), c[1] + " graph: " + ops);
            }
            goldens.add(written.card().golden());
        }
        // every file exported from one .pt carries the same golden inputs and the server's outputs on them
        // (the .ptl's from the unfrozen module, the others' from the frozen one: equal to float rounding)
        assertEquals(2, goldens.get(0).size());
        for (List<ModelCard.GoldenPair> g : goldens) {
            assertEquals(goldens.get(0).size(), g.size());
            for (int i = 0; i < g.size(); i++) {
                assertEquals(goldens.get(0).get(i).input(), g.get(i).input(), "golden input " + i);
                float[] a = dev.porescope.core.json.FloatCodec.decode(goldens.get(0).get(i).probability());
                float[] b = dev.porescope.core.json.FloatCodec.decode(g.get(i).probability());
                for (int k = 0; k < a.length; k++) assertEquals(a[k], b[k], 1e-5, "golden output " + i);
            }
        }
    }

    @Test
    void serverAndItsFp32OnnxAgreeAndTheReportHasTable3Fields() throws Exception {
        Path onnx = dir.resolve("parity.onnx");
        assertEquals(0, export("onnx", "fp32", onnx).code());
        Path json = dir.resolve("parity.json");
        Path figure = dir.resolve("fig2.png");
        Run run = porescope("compare", "--server", server.toString(), "--device", onnx.toString(), "--data", data.toString(),
                "--count", "2", "--seed", "4", "--json", json.toString(), "--figure", figure.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("| agreement | 2 |"), run.out());
        JsonNode report = Json.mapper().readTree(Files.readString(json));
        for (String field : List.of("count", "mean", "std", "variance", "min", "max", "per_image")) {
            assertTrue(report.has(field), field);
        }
        assertEquals(2, report.get("count").asInt());
        assertEquals(2, report.get("per_image").size());
        assertTrue(report.get("mean").asDouble() >= 0.999, report.toString());
        assertTrue(report.get("per_image").get(0).get("server_dice").isNumber(), "synthetic photos have labels");
        BufferedImage png = ImageIO.read(figure.toFile());
        assertEquals(3 * PHOTO + 2 * dev.porescope.cli.report.ParityFigure.GAP, png.getWidth());
        assertTrue(png.getHeight() > PHOTO, "captions above the panels");
    }

    @Test
    void compareTakesAllPhotosWhenFewerThanCountAndAllowsUnlabelledOnes() throws Exception {
        Path unlabelled = dir.resolve("unlabelled");
        Files.createDirectories(unlabelled.resolve("images"));
        Files.copy(data.resolve("images/synth-0000.png"), unlabelled.resolve("images/a.png"));
        Path json = dir.resolve("unlabelled.json");
        Run run = porescope("compare", "--server", server.toString(), "--device", server.toString(),
                "--data", unlabelled.toString(), "--count", "16", "--json", json.toString());
        assertEquals(0, run.code(), run.err());
        JsonNode report = Json.mapper().readTree(Files.readString(json));
        assertEquals(1, report.get("per_image").size());
        assertEquals(1.0, report.get("mean").asDouble());
        assertTrue(report.get("per_image").get(0).get("server_dice").isNull());
    }

    @Test
    void compareWarnsWhenTheCardsDisagreeOnTheThreshold() {
        Path other = dir.resolve("other-threshold.pt");
        save(UNetSpec.named("tiny"), UNetSpec.named("tiny"), 0.7, other);
        Run run = porescope("compare", "--server", server.toString(), "--device", other.toString(), "--data", data.toString(),
                "--count", "1");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("warning") && run.err().contains("threshold 0.5000 vs 0.7000"), run.err());
    }

    @Test
    void benchInferPrintsARowPerModel() {
        Path onnx = dir.resolve("bench.onnx");
        assertEquals(0, export("onnx", "fp32", onnx).code());
        Run run = porescope("bench", "infer", "--model", server.toString(), onnx.toString(), "--spec", "tiny",
                "--size", "32", "--repeats", "1", "--threads", "1");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("machine: "), run.out());
        for (String row : List.of("| server.pt |", "| bench.onnx |", "| tiny.pt |", "| tiny.ptl |", "| tiny-fp32.onnx |",
                "| tiny-fp16.onnx |", "| tiny-int8.onnx |")) {
            assertTrue(run.out().contains(row), row + " missing in\n" + run.out());
        }
        assertTrue(run.out().contains("1.00x"), "the server model is its own reference: " + run.out());
    }

    // ---- bad input ---------------------------------------------------------------------------

    @Test
    void aPtThatIsNotAPoreScopeModelIsOneClearLine() throws Exception {
        Path fake = dir.resolve("fake.pt");
        Files.write(fake, new byte[]{'P', 'K', 3, 4, 1, 2, 3});
        assertOneLineError(porescope("export", "--model", fake.toString(), "--format", "onnx", "--out",
                dir.resolve("x.onnx").toString()), fake.toString(), "not a PoreScope model");
    }

    @Test
    void aCardWhoseSpecDoesNotMatchTheWeightsIsOneClearLine() {
        Path mismatched = dir.resolve("mismatched.pt");
        save(UNetSpec.named("slim"), UNetSpec.named("tiny"), mismatched);
        for (String format : List.of("onnx", "ptl")) {
            assertOneLineError(porescope("export", "--model", mismatched.toString(), "--format", format, "--out",
                    dir.resolve("mismatched." + format).toString()), mismatched.toString(), "do not match");
            assertFalse(Files.exists(dir.resolve("mismatched." + format)));
        }
    }

    @Test
    void aCalibrationFolderWithoutPhotosIsOneClearLine() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("no-photos"));
        Files.writeString(empty.resolve("notes.txt"), "no photos here");
        assertOneLineError(export("onnx", "int8", dir.resolve("c.onnx"), "--calibration", empty.toString()),
                empty.toString(), "no photos");
        assertOneLineError(export("onnx", "int8", dir.resolve("c.onnx")), "int8 export needs --calibration");
    }

    @Test
    void int8KeepFloatNamesLayersOrNoneAndAnUnknownLayerIsOneClearLine() {
        Path bad = dir.resolve("bad-layer.onnx");
        assertOneLineError(export("onnx", "int8", bad, "--calibration", data.toString(), "--int8-keep-float", "first,enc9"),
                "enc9", "enc0");
        assertFalse(Files.exists(bad));
        Run none = export("onnx", "int8", dir.resolve("all-int8.onnx"), "--calibration", data.toString(),
                "--int8-keep-float", "none");
        assertEquals(0, none.code(), none.err());
        assertTrue(none.out().contains("float layers: none"), none.out());
    }

    @Test
    void unknownFormatOrPrecisionIsAUsageError() {
        Run format = export("tflite", "fp32", dir.resolve("m.tflite"));
        assertEquals(2, format.code(), format.err());
        assertTrue(format.err().contains("tflite"), format.err());
        Run precision = export("onnx", "int4", dir.resolve("m.onnx"));
        assertEquals(2, precision.code(), precision.err());
        assertTrue(precision.err().contains("int4") && precision.err().contains("fp16"), precision.err());
    }

    @Test
    void aDeviceFileNamedAsAnotherKindOrWithFlippedWeightsIsOneClearLine() throws Exception {
        Path onnx = dir.resolve("kind.onnx");
        assertEquals(0, export("onnx", "fp32", onnx).code());
        Path asOrt = dir.resolve("kind.ort");
        Files.copy(onnx, asOrt);
        assertOneLineError(porescope("eval", "--model", asOrt.toString(), "--data", data.toString()),
                "is an ONNX model by its content but is named .ort; rename it to .onnx");
        // the weights of the first convolution scaled by 2^16 (an exponent bit), the file otherwise intact
        ai.onnx.proto.OnnxMl.ModelProto m = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx));
        var g = m.getGraph().toBuilder();
        byte[] raw = g.getInitializer(0).getRawData().toByteArray();
        for (int i = 3; i < raw.length; i += 4) raw[i] ^= 0x08;
        g.setInitializer(0, g.getInitializer(0).toBuilder().setRawData(com.google.protobuf.ByteString.copyFrom(raw)));
        Path flipped = dir.resolve("flipped.onnx");
        Files.write(flipped, m.toBuilder().setGraph(g).build().toByteArray());
        assertOneLineError(porescope("analyze", data.resolve("images/synth-0001.png").toString(), "--model", flipped.toString()),
                flipped + ": does not compute what it computed when it was made");
    }

    @Test
    void truncatedDeviceFilesAreOneClearLineBeforeAnyNativeCall() throws Exception {
        for (String format : List.of("onnx", "ptl", "ort")) {
            Path whole = dir.resolve("whole-" + format + "." + format);
            assertEquals(0, export(format, "fp32", whole).code());
            byte[] bytes = Files.readAllBytes(whole);
            Path truncated = dir.resolve("truncated." + format);
            Files.write(truncated, Arrays.copyOf(bytes, bytes.length * 2 / 3));
            assertOneLineError(porescope("eval", "--model", truncated.toString(), "--data", data.toString()),
                    truncated.toString());
            // refused by the pure-Java reader itself, so no runtime saw it
            var e = assertThrows(ModelFileException.class, () -> ModelFileReader.read(truncated));
            assertTrue(e.getMessage().startsWith(truncated + ": "), e.getMessage());
            assertOneLineError(porescope("compare", "--server", server.toString(), "--device", truncated.toString(),
                    "--data", data.toString()), truncated.toString());
        }
    }
}
