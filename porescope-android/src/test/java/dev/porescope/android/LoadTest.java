package dev.porescope.android;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.porescope.core.image.Plane;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.modelfile.ModelFile;
import dev.porescope.core.modelfile.ModelFileKind;
import dev.porescope.core.modelfile.ModelFileReader;
import dev.porescope.onnx.OnnxWriter;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Loading model files: the real ONNX Runtime (desktop build of the same Java API) on a tiny U-Net
 * exported by the project's exporter, and every refusal that must happen before a file reaches a
 * native loader (core's pure-Java reader, the one the command line uses).
 */
public class LoadTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private static String cardJson(String runtime, String precision) {
        return Json.writeCard(TestModels.card(runtime, precision, TestModels.golden(TestModels::sigmoid, 11, 8, 16)));
    }

    /** The exported .onnx with its card's runtime changed to {@code runtime} (what a mixed-up export would carry). */
    private File onnx(String name, String runtime) throws IOException {
        File file = TestModels.sigmoidOnnx(folder.getRoot(), name);
        if (!runtime.equals(ModelCard.RUNTIME_ONNX)) {
            ModelProto model = ModelProto.parseFrom(Files.readAllBytes(file.toPath()));
            ModelCard card = ModelFileReader.read(file.toPath()).card();
            Files.write(file.toPath(), OnnxWriter.withCard(model, card.withRuntime(runtime, card.precision())).toByteArray());
        }
        return file;
    }

    private static String message(Class<? extends Throwable> type, org.junit.function.ThrowingRunnable run) {
        return assertThrows(type, run).getMessage();
    }

    @Test
    public void onnxModelRunsOnOnnxRuntimeAndPassesItsSelfTest() throws IOException {
        try (PoreModel model = PoreScope.load(onnx("sigmoid.onnx", "onnx"))) {
            assertEquals("onnx", model.card().runtime());
            Plane tile = new Plane(3, 2, new float[] {-2, -1, 0, 0.5f, 1, 4});
            float[] expected = TestModels.sigmoid(tile).values();
            assertArrayEquals(expected, model.segmentationModel().predict(tile).values(), 1e-6f);
            SelfTestResult check = model.selfTest();
            assertTrue(check.message(), check.passed());
            assertEquals(2, check.pairs());
        }
    }

    @Test
    public void onnxFileWhoseCardSaysPtlIsRefused() throws IOException {
        String m = message(IllegalArgumentException.class, () -> PoreScope.load(onnx("wrong.onnx", "ptl")));
        assertTrue(m, m.contains("runtime 'ptl'") && m.contains("--format onnx"));
    }

    @Test
    public void onnxFileWithoutCardIsNotAPoreScopeModel() throws IOException {
        File file = folder.newFile("plain.onnx");
        Files.write(file.toPath(), new OnnxWriter(TestModels.SPEC, TestModels.sigmoidWeights()).fp32().toByteArray());
        String m = message(IllegalArgumentException.class, () -> PoreScope.load(file));
        assertTrue(m, m.contains("no PoreScope model card"));
    }

    @Test
    public void truncatedOnnxFileIsAnExceptionNotACrash() throws IOException {
        File whole = onnx("whole.onnx", "onnx");
        byte[] bytes = Files.readAllBytes(whole.toPath());
        File truncated = folder.newFile("truncated.onnx");
        Files.write(truncated.toPath(), Arrays.copyOf(bytes, bytes.length / 2));
        String m = message(IllegalArgumentException.class, () -> PoreScope.load(truncated));
        assertTrue(m, m.contains("truncated.onnx"));
    }

    @Test
    public void fileThatIsNoModelAtAllIsRefusedBeforeTheRuntime() throws IOException {
        File text = folder.newFile("notes.onnx");
        Files.write(text.toPath(), "hello, these are notes".getBytes(StandardCharsets.UTF_8));
        assertTrue(message(IllegalArgumentException.class, () -> PoreScope.load(text)).contains("not a model file PoreScope knows"));
        File ort = folder.newFile("notes.ort");
        Files.write(ort.toPath(), "hello".getBytes(StandardCharsets.UTF_8));
        assertTrue(message(IllegalArgumentException.class, () -> PoreScope.load(ort)).contains("only 5 bytes"));
        File empty = folder.newFile("empty.ptl");
        assertTrue(message(IllegalArgumentException.class, () -> PoreScope.load(empty)).contains("empty"));
        assertTrue(message(IllegalArgumentException.class,
                () -> PoreScope.load(new File(folder.getRoot(), "missing.ptl"))).contains("does not exist"));
    }

    @Test
    public void wrongExtensionsSayWhatToDo() {
        assertTrue(message(IllegalArgumentException.class, () -> PoreScope.load(new File("model.pt"))).contains("export"));
        assertTrue(message(IllegalArgumentException.class, () -> PoreScope.load(new File("photo.jpg"))).contains(".ptl"));
    }

    // ---- .ptl: the card is read with java.util.zip, before LiteModuleLoader (which needs Android's natives)

    private File ptl(String name, String cardJson) throws IOException {
        return ptl(name, cardJson, 8);
    }

    /** A lite-interpreter-shaped archive: bytecode.pkl starting with (PROTO 2, MARK, BININT1 version). */
    private File ptl(String name, String cardJson, int bytecodeVersion) throws IOException {
        File file = new File(folder.getRoot(), name);
        try (ZipOutputStream zip = new ZipOutputStream(new FileOutputStream(file))) {
            if (bytecodeVersion >= 0) {
                zip.putNextEntry(new ZipEntry("model/bytecode.pkl"));
                zip.write(new byte[] {(byte) 0x80, 2, '(', 'K', (byte) bytecodeVersion, 'X', 0, 0, 0, 0});
                zip.closeEntry();
            }
            if (cardJson != null) {
                zip.putNextEntry(new ZipEntry("model/extra/" + ModelCard.FILE_NAME));
                zip.write(cardJson.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file;
    }

    /** The control for the refusals below: the hand-made archive itself is a phone file core's reader accepts. */
    @Test
    public void theHandMadeArchiveIsAValidPhoneFile() throws IOException {
        ModelFile file = ModelFileReader.read(ptl("good.ptl", cardJson("ptl", "fp32")).toPath());
        assertEquals(ModelFileKind.PTL, file.kind());
        assertEquals("ptl", file.card().runtime());
        assertEquals(2, file.card().golden().size());
        assertEquals(8, file.bytecodeVersion());
        assertTrue(file.androidReadable());
    }

    @Test
    public void ptlWithBytecodeTooNewForAndroidOrWithoutBytecodeIsRefused() throws IOException {
        File v9 = ptl("v9.ptl", cardJson("ptl", "fp32"), 9);
        String m = message(IllegalArgumentException.class, () -> PoreScope.load(v9));
        assertTrue(m, m.contains("bytecode version 9") && m.contains("up to 8"));
        File none = ptl("none.ptl", cardJson("ptl", "fp32"), -1);
        assertTrue(message(IllegalArgumentException.class, () -> PoreScope.load(none)).contains("no data.pkl or bytecode.pkl"));
    }

    @Test
    public void ptlWhoseCardSaysTorchscriptIsRefused() throws IOException {
        File file = ptl("server.ptl", cardJson("torchscript", "fp32"));
        String m = message(IllegalArgumentException.class, () -> PoreScope.load(file));
        assertTrue(m, m.contains("runtime 'torchscript'") && m.contains("--format ptl"));
    }

    @Test
    public void ptlWithoutCardOrNotAZipIsRefused() throws IOException {
        File noCard = ptl("nocard.ptl", null);
        assertTrue(message(IllegalArgumentException.class, () -> PoreScope.load(noCard)).contains("not a PoreScope model"));
        File garbage = folder.newFile("garbage.ptl");
        byte[] junk = new byte[64];
        Arrays.fill(junk, (byte) 9);
        junk[0] = 0x50;
        junk[1] = 0x4b;
        junk[2] = 3;
        junk[3] = 4;
        Files.write(garbage.toPath(), junk);
        assertTrue(message(IllegalArgumentException.class, () -> PoreScope.load(garbage)).contains("not a readable model archive"));
        File badCard = ptl("badcard.ptl", "{\"format\": 3");
        assertTrue(message(IllegalArgumentException.class, () -> PoreScope.load(badCard)).contains("is not a PoreScope model card"));
    }
}
