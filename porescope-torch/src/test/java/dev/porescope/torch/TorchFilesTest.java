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

}
