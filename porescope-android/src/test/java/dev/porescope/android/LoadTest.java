package dev.porescope.android;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.porescope.core.image.Plane;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Loading model files: the real ONNX Runtime (desktop build of the same Java API) on hand-made ONNX
 * files, and every refusal that must happen before a file reaches a native loader.
 */
public class LoadTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private static String cardJson(String runtime, String precision) {
        return Json.writeCard(TestModels.card(runtime, precision, TestModels.golden(TestModels::sigmoid, 11, 8, 16)));
    }

    private File onnx(String name, String runtime) throws IOException {
        return OnnxFiles.sigmoidModel(folder.getRoot(), name,
                Collections.singletonMap(ModelCard.FILE_NAME, cardJson(runtime, "fp32")));
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
        assertTrue(m, m.contains("'ptl' runtime") && m.contains("--format onnx"));
    }

    @Test
    public void onnxFileWithoutCardIsNotAPoreScopeModel() throws IOException {
        File file = OnnxFiles.sigmoidModel(folder.getRoot(), "plain.onnx", Collections.singletonMap("author", "someone"));
        String m = message(IllegalArgumentException.class, () -> PoreScope.load(file));
        assertTrue(m, m.contains("not a PoreScope model"));
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
        Files.write(text.toPath(), "hello".getBytes(StandardCharsets.UTF_8));
        assertTrue(message(IllegalArgumentException.class, () -> PoreScope.load(text)).contains("not an ONNX model"));
        File ort = folder.newFile("notes.ort");
        Files.write(ort.toPath(), "hello, world".getBytes(StandardCharsets.UTF_8));
        assertTrue(message(IllegalArgumentException.class, () -> PoreScope.load(ort)).contains("ONNX Runtime format"));
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

    @Test
    public void ptlCardIsReadFromTheArchive() throws IOException {
        File file = ptl("good.ptl", cardJson("ptl", "fp32"));
        ModelCard card = ModelCards.parse(ModelCards.ptlCardJson(file), file, ModelFileType.PTL);
        assertEquals("ptl", card.runtime());
        assertEquals(2, card.golden().size());
    }

    @Test
    public void ptlWithBytecodeTooNewForAndroidOrWithoutBytecodeIsRefused() throws IOException {
        File v9 = ptl("v9.ptl", cardJson("ptl", "fp32"), 9);
        String m = message(IllegalArgumentException.class, () -> PoreScope.load(v9));
        assertTrue(m, m.contains("bytecode version 9") && m.contains("up to 8"));
        File none = ptl("none.ptl", cardJson("ptl", "fp32"), -1);
        assertTrue(message(IllegalArgumentException.class, () -> PoreScope.load(none)).contains("no bytecode.pkl"));
    }

    @Test
    public void ptlWhoseCardSaysTorchscriptIsRefused() throws IOException {
        File file = ptl("server.ptl", cardJson("torchscript", "fp32"));
        String m = message(IllegalArgumentException.class, () -> PoreScope.load(file));
        assertTrue(m, m.contains("'torchscript' runtime") && m.contains("--format ptl"));
    }

    @Test
    public void ptlWithoutCardOrNotAZipIsRefused() throws IOException {
        File noCard = ptl("nocard.ptl", null);
        assertTrue(message(IllegalArgumentException.class, () -> PoreScope.load(noCard)).contains("not a PoreScope model"));
        File garbage = folder.newFile("garbage.ptl");
        Files.write(garbage.toPath(), new byte[] {0x50, 0x4b, 9, 9, 9});
        assertTrue(message(IllegalArgumentException.class, () -> PoreScope.load(garbage)).contains("zip"));
        File badCard = ptl("badcard.ptl", "{\"format\": 3");
        assertTrue(message(IllegalArgumentException.class, () -> PoreScope.load(badCard)).contains("cannot be read"));
    }
}
