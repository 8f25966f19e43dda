package dev.porescope.cli.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefaultModelTest {
    @TempDir
    Path tmp;

    @Test
    void noResourceMeansTheDogBaselineAndOneNote() {
        StringWriter err = new StringWriter();
        String model = new DefaultModel(name -> null, tmp).resolve(new PrintWriter(err));
        assertEquals("dog", model);
        assertEquals("porescope: " + DefaultModel.FALLBACK_NOTE, err.toString().strip());
    }

    @Test
    void aResourceIsCopiedOnceIntoTheCacheWithItsSize() throws Exception {
        byte[] bytes = new byte[12345];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) (i * 31);
        DefaultModel model = new DefaultModel(name -> name.equals(DefaultModel.RESOURCE_DIR + "default.onnx")
                ? new ByteArrayInputStream(bytes) : null, tmp.resolve("cache"));
        Optional<Path> file = model.extract("default.onnx");
        assertTrue(file.isPresent());
        assertTrue(file.get().getFileName().toString().startsWith("default-")
                && file.get().getFileName().toString().endsWith(".onnx"));
        assertArrayEquals(bytes, Files.readAllBytes(file.get()));
        // a damaged copy (other size) is replaced; an intact one is reused
        Files.write(file.get(), new byte[10]);
        assertEquals(bytes.length, Files.size(model.extract("default.onnx").orElseThrow()));
        assertFalse(model.extract("default.pt").isPresent());
    }
}
