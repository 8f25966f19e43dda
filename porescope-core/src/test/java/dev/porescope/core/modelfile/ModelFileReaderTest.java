package dev.porescope.core.modelfile;

import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.unet.UNetSpec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure-Java model-file reader on archives made here, byte by byte (no runtime involved). */
class ModelFileReaderTest {
    static final UNetSpec SPEC = UNetSpec.family("t", 4, 8);

    static ModelCard card(String runtime) {
        return new ModelCard(ModelCard.FORMAT, "t", SPEC, Preprocessing.standard(), 0.5, 2, runtime, ModelCard.FP32,
                null, 1, 0, Map.of(), Map.of(), List.of(), Map.of());
    }

    /** A zip like PyTorch's: one top folder, the given entries, deflated. */
    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static byte[] pt() throws IOException {
        return zip(new java.util.LinkedHashMap<>(Map.of(
                "m/data.pkl", new byte[]{(byte) 0x80, 2, 'N', '.'},
                "m/code/__torch__.py", "class PoreScopeUNet(Module):\n".getBytes(StandardCharsets.UTF_8),
                "m/extra/porescope.json", Json.writeCard(card(ModelCard.RUNTIME_TORCHSCRIPT)).getBytes(StandardCharsets.UTF_8))));
    }

    private static String refused(String name, byte[] bytes) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFileReader.parse(name, bytes));
        assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aTorchScriptArchiveGivesItsKindCardAndCode() throws IOException {
        ModelFile f = ModelFileReader.parse("m.pt", pt());
        assertEquals(ModelFileKind.TORCHSCRIPT, f.kind());
        assertEquals(SPEC, f.card().spec());
        assertEquals(Map.of("code/__torch__.py", "class PoreScopeUNet(Module):\n"), f.code());
    }

    @Test
    void theContentDecidesTheKindAndAMisnamedFileIsOneLine() throws IOException {
        assertTrue(refused("m.ptl", pt()).contains("not a PyTorch Mobile lite-interpreter file"));
        assertTrue(refused("m.onnx", pt()).contains("is a TorchScript server model by its content but is named .onnx"));
        byte[] ort = new byte[32];
        ort[4] = 'O'; ort[5] = 'R'; ort[6] = 'T'; ort[7] = 'M';
        assertTrue(refused("m.onnx", ort).contains("by its content but is named .onnx; rename it to .ort"));
        assertTrue(refused("m.pt", "just some text, not a model".getBytes(StandardCharsets.UTF_8)).contains("not a model file"));
        assertTrue(refused("m.pt", new byte[3]).contains("only 3 bytes"));
    }

    @Test
    void aZipBombIsRefusedBeforeItInflates() throws IOException {
        byte[] bomb = zip(Map.of("m/data.pkl", new byte[4], "m/big", new byte[(int) ZipArchive.MAX_INFLATED_BYTES + 1024]));
        assertTrue(bomb.length < 1 << 20, "deflated zeros are small: " + bomb.length);
        assertTrue(refused("bomb.pt", bomb).contains("zip bomb"));
    }

    @Test
    void tooManyEntriesAndForeignLayoutsAreRefused() throws IOException {
        Map<String, byte[]> many = new java.util.LinkedHashMap<>();
        for (int i = 0; i <= ZipArchive.MAX_ENTRIES; i++) many.put("m/data/" + i, new byte[0]);
        assertTrue(refused("many.pt", zip(many)).contains("zip entries"));
        assertTrue(refused("flat.pt", zip(Map.of("data.pkl", new byte[4]))).contains("one top folder"));
        assertTrue(refused("nocard.pt", zip(Map.of("m/data.pkl", new byte[4]))).contains("not a PoreScope model"));
    }

    @Test
    void aCardForAnotherRuntimeOrAnImplausibleNetworkIsRefused() throws IOException {
        byte[] ptl = zip(Map.of("m/data.pkl", new byte[4], "m/code/__torch__.py", new byte[1],
                "m/extra/porescope.json", Json.writeCard(card(ModelCard.RUNTIME_PTL)).getBytes(StandardCharsets.UTF_8)));
        assertTrue(refused("m.pt", ptl).contains("says runtime 'ptl'"));
        ModelCard huge = card(ModelCard.RUNTIME_TORCHSCRIPT);
        huge = new ModelCard(huge.format(), "huge", UNetSpec.family("huge", 4096, 4096, 4096, 4096), huge.preprocessing(),
                0.5, 2, huge.runtime(), huge.precision(), null, 1, 0, Map.of(), Map.of(), List.of(), Map.of());
        byte[] big = zip(Map.of("m/data.pkl", new byte[4], "m/code/__torch__.py", new byte[1],
                "m/extra/porescope.json", Json.writeCard(huge).getBytes(StandardCharsets.UTF_8)));
        assertTrue(refused("huge.pt", big).contains("far larger than any PoreScope U-Net"));
    }

    @Test
    void damagedFilesEndOnlyInTheProjectsException() throws IOException {
        byte[] good = pt();
        Random random = new Random(7);
        for (int run = 0; run < 3000; run++) {
            byte[] b = random.nextInt(4) == 0 ? java.util.Arrays.copyOf(good, random.nextInt(good.length)) : good.clone();
            int flips = 1 + random.nextInt(8);
            for (int k = 0; k < flips && b.length > 0; k++) b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            try {
                ModelFileReader.parse("fuzz.pt", b);
            } catch (ModelFileException expected) {
                // the only way a file may be refused
            }
        }
    }
}
