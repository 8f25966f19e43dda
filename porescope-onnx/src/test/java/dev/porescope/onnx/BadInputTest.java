package dev.porescope.onnx;

import dev.porescope.ort.OnnxModel;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.image.Plane;
import dev.porescope.core.unet.UNetSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Broken files and arguments give one clear message, never a native crash. */
class BadInputTest {

    static final UNetSpec SPEC = TestNets.tiny();
    static final Map<String, float[]> WEIGHTS = TestNets.randomWeights(SPEC, 3);

    @TempDir
    static Path dir;
    static byte[] onnx;
    static byte[] ort;

    @BeforeAll
    static void export() throws Exception {
        Path o = dir.resolve("good.onnx"), r = dir.resolve("good.ort");
        OnnxExport.export(TestNets.card(SPEC), WEIGHTS, Precision.FP32, List.of(), o);
        OnnxExport.toOrt(o, r);
        onnx = Files.readAllBytes(o);
        ort = Files.readAllBytes(r);
    }

    private static void assertMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
    }

    private static Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void truncatedOnnxIsRejectedBeforeOnnxRuntime() throws Exception {
        for (int keep : new int[]{8, 100, onnx.length / 3, onnx.length / 2, onnx.length - 50, onnx.length - 1}) {
            Path p = write("cut.onnx", Arrays.copyOf(onnx, keep));
            assertMessage(() -> Ort.load(p), p.toString());
            // the pure-Java reader alone refuses it, so ONNX Runtime never sees it
            var e = assertThrows(dev.porescope.core.modelfile.ModelFileException.class,
                    () -> dev.porescope.core.modelfile.ModelFileReader.read(p));
            assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        }
    }

    @Test
    void truncatedOrtIsRejected() throws Exception {
        for (int keep : new int[]{12, ort.length / 4, ort.length / 2, ort.length * 9 / 10, ort.length - 100}) {
            Path p = write("cut.ort", Arrays.copyOf(ort, keep));
            assertMessage(() -> Ort.load(p), p.toString());
            // the .ort flatbuffer walk checks the card's path only: some cuts reach ONNX Runtime, which refuses them
        }
    }

    @Test
    void randomBytesAndEmptyFilesAreRejected() throws Exception {
        Random r = new Random(1);
        for (int n : new int[]{0, 5, 1000, 100_000}) {
            byte[] b = new byte[n];
            r.nextBytes(b);
            Path p = write("random.onnx", b);
            assertMessage(() -> Ort.load(p), p.toString());
            // the pure-Java reader alone refuses it, so ONNX Runtime never sees it
            var e = assertThrows(dev.porescope.core.modelfile.ModelFileException.class,
                    () -> dev.porescope.core.modelfile.ModelFileReader.read(p));
            assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        }
        byte[] fakeOrt = new byte[4000];
        r.nextBytes(fakeOrt);
        System.arraycopy("ORTM".getBytes(), 0, fakeOrt, 4, 4);
        Path p = write("random.ort", fakeOrt);
        assertMessage(() -> Ort.load(p), p.toString());
        Path text = write("notes.onnx", "this is not a model, just some text\n".repeat(20).getBytes());
        assertMessage(() -> Ort.load(text), text.toString());
    }

    @Test
    void missingFileAndFolderAreRejected() {
        assertMessage(() -> Ort.load(dir.resolve("absent.onnx")), "does not exist");
        assertMessage(() -> Ort.load(dir), "not a regular file");
    }

    @Test
    void validOnnxWithoutCardIsNotAPoreScopeModel() throws Exception {
        Path p = write("nocard.onnx", new OnnxWriter(SPEC, WEIGHTS).fp32().toByteArray());
        assertMessage(() -> Ort.load(p), "no PoreScope model card");
    }

    @Test
    void brokenCardsAreRejected() throws Exception {
        ModelProto m = new OnnxWriter(SPEC, WEIGHTS).fp32();
        Path junk = write("junk.onnx", m.toBuilder().addMetadataProps(StringStringEntryProto.newBuilder()
                .setKey(ModelCard.FILE_NAME).setValue("{not json")).build().toByteArray());
        assertMessage(() -> Ort.load(junk), "is not a PoreScope model card");
        Path other = write("other.onnx", m.toBuilder().addMetadataProps(StringStringEntryProto.newBuilder()
                .setKey(ModelCard.FILE_NAME).setValue("{\"format\":\"something-else\"}")).build().toByteArray());
        assertMessage(() -> Ort.load(other), "format");
    }

    @Test
    void unknownPrecisionIsRejected() {
        assertMessage(() -> Precision.parse("int4"), "unknown precision 'int4'", "fp32, fp16, int8");
        assertMessage(() -> Precision.parse(null), "unknown precision");
        assertTrue(Precision.parse(" INT8 ") == Precision.INT8);
    }

    @Test
    void weightsThatDoNotMatchTheCardAreRejected() {
        Map<String, float[]> missing = new HashMap<>(WEIGHTS);
        missing.remove("enc1_w");
        assertMessage(() -> new OnnxWriter(SPEC, missing), "enc1_w is missing");
        Map<String, float[]> wrong = new HashMap<>(WEIGHTS);
        wrong.put("up0_w", new float[3]);
        assertMessage(() -> new OnnxWriter(SPEC, wrong), "up0_w has 3 values");
        Map<String, float[]> extra = new HashMap<>(WEIGHTS);
        extra.put("enc9_w", new float[1]);
        assertMessage(() -> new OnnxWriter(SPEC, extra), "unexpected parameter enc9_w");
        Map<String, float[]> paper = TestNets.randomWeights(UNetSpec.paper(), 1);
        assertMessage(() -> OnnxExport.export(TestNets.card(SPEC), paper, Precision.FP32, List.of(), dir.resolve("x.onnx")),
                "do not match");
    }

    @Test
    void int8WithoutCalibrationPhotosIsRejected() {
        assertMessage(() -> OnnxExport.export(TestNets.card(SPEC), WEIGHTS, Precision.INT8, List.of(), dir.resolve("q.onnx")),
                "calibration");
    }

    @Test
    void tileOfWrongSizeIsRejected() throws Exception {
        Path p = write("ok.onnx", onnx);
        try (OnnxModel m = Ort.load(p)) {
            assertMessage(() -> m.predict(new Plane(30, 32)), "multiple of 4");
        }
    }
}
