package dev.porescope.torch;

import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.modelfile.ModelFileException;
import dev.porescope.core.unet.UNetSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class TorchFilesTest {

    @Test
    void aFileThatIsNotAZipIsRefusedBeforeLibtorch(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("notes.pt");
        Files.writeString(f, "this is not a model");
        var e = assertThrows(ModelFileException.class, () -> TorchModel.load(f));
        assertTrue(e.getMessage().startsWith(f + ": is not a model file PoreScope knows"), e.getMessage());
    }

    @Test
    void aTorchScriptFileWithoutCardIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("foreign.pt");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(f))) {
            zip.putNextEntry(new ZipEntry("foreign/data.pkl"));
            zip.write(new byte[]{(byte) 0x80, 2});
            zip.closeEntry();
        }
        var e = assertThrows(ModelFileException.class, () -> TorchModel.load(f));
        assertTrue(e.getMessage().contains("not a PoreScope model (it has no porescope.json model card)"), e.getMessage());
    }

    @Test
    void aTruncatedModelIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.pt");
        try (UNetModule m = UNetModule.create(UNetModuleTest.TINY, 1)) {
            m.save(f, UNetModuleTest.card(UNetModuleTest.TINY));
        }
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(raf.length() - 100);
        }
        var e = assertThrows(ModelFileException.class, () -> TorchModel.load(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aCardThatDoesNotMatchTheWeightsIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.pt");
        UNetSpec other = UNetSpec.family("test-tiny", 4, 8, 32);
        try (UNetModule m = UNetModule.create(UNetModuleTest.TINY, 1)) {
            m.save(f, UNetModuleTest.card(other)); // the card lies about the network
        }
        var e = assertThrows(ModelFileException.class, () -> TorchModel.load(f));
        assertTrue(e.getMessage().contains("card and weights do not match"), e.getMessage());
    }

    @Test
    void aCardOfAnotherFormatIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.pt");
        String json = Json.writeCard(UNetModuleTest.card(UNetModuleTest.TINY)).replace(ModelCard.FORMAT, "someone-else/7");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(f))) {
            zip.putNextEntry(new ZipEntry("m/data.pkl"));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("m/extra/porescope.json"));
            zip.write(json.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        var e = assertThrows(ModelFileException.class, () -> TorchFiles.serverCard(f));
        assertTrue(e.getMessage().contains("someone-else/7"), e.getMessage());
    }

    @Test
    void aMissingFileSaysSo(@TempDir Path dir) {
        var e = assertThrows(ModelFileException.class, () -> TorchFiles.serverCard(dir.resolve("none.pt")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void anUnknownSpecNamesTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> UNetSpec.named("enormous"));
        assertTrue(e.getMessage().contains("paper"), e.getMessage());
    }


    /** {@code file} rewritten with {@code code/__torch__.py} changed by {@code edit}; every other entry stored as is. */
    private static Path withCode(Path file, Path out, java.util.function.UnaryOperator<String> edit) throws Exception {
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(file.toFile());
             ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (var e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                byte[] data = in.getInputStream(entry).readAllBytes();
                if (entry.getName().endsWith("code/__torch__.py")) {
                    data = edit.apply(new String(data, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                }
                zip.putNextEntry(new ZipEntry(entry.getName()));
                zip.write(data);
                zip.closeEntry();
            }
        }
        return out;
    }

    @Test
    void aModelWhoseCodeIsNotTheGeneratedCodeIsRefusedBeforeLibtorchLoadsIt(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.pt");
        try (UNetModule m = UNetModule.create(UNetModuleTest.TINY, 1)) {
            m.save(f, UNetModuleTest.card(UNetModuleTest.TINY));
        }
        TorchFiles.serverCard(f); // the generated code passes
        Path loop = withCode(f, dir.resolve("loop.pt"), code -> code.replace("torch.relu(", "torch.sigmoid("));
        var e = assertThrows(ModelFileException.class, () -> TorchModel.load(loop));
        assertTrue(e.getMessage().startsWith(loop + ": is not a PoreScope model of spec '" + UNetModuleTest.TINY.name() + "'"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void theCodeComparisonIsPureJava() {
        var expected = java.util.Map.of("code/__torch__.py", "def forward(self, x):\n  return torch.relu(x)\n");
        assertNull(GeneratedCode.difference(expected, expected));
        assertTrue(GeneratedCode.difference(java.util.Map.of("code/__torch__.py",
                "def forward(self, x):\n  while True: pass\n"), expected).contains("line 2"));
        assertTrue(GeneratedCode.difference(java.util.Map.of(), expected).startsWith("lacks code/__torch__.py"));
        assertTrue(GeneratedCode.difference(java.util.Map.of("code/__torch__.py", expected.get("code/__torch__.py"),
                "code/__torch__/evil.py", "x"), expected).contains("evil.py"));
        // mangling and frozen-constant numbers differ between runs and weights, nothing else does
        assertEquals(GeneratedCode.normalized(java.util.Map.of("code/__torch__/___torch_mangle_3.py", "CONSTANTS.c7")),
                GeneratedCode.normalized(java.util.Map.of("code/__torch__/___torch_mangle_0.py", "CONSTANTS.c2")));
    }
}
