package dev.porescope.cli.commands;

import dev.porescope.cli.MainTest.Run;
import dev.porescope.cli.support.UserException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.porescope.cli.MainTest.assertOneLineError;
import static dev.porescope.cli.MainTest.porescope;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code porescope face-models}: finding the TFLite files in the npm packages, and its refusals. */
class FaceModelsCommandTest {
    @TempDir
    Path tmp;

    @Test
    void thePackedMeshIsCutAtTheRangeItsLoaderLists() {
        byte[] packed = new byte[100];
        for (int i = 0; i < packed.length; i++) packed[i] = (byte) i;
        // the loader script's listing, as the npm package writes it
        String loader = "loadPackage({\"files\": [{\"filename\": \"/third_party/mediapipe/modules/face_landmark/face_landmark_with_attention.tflite\","
                + " \"start\": 0, \"end\": 40}, {\"filename\": \"/third_party/mediapipe/modules/face_landmark/face_landmark.tflite\","
                + " \"start\": 40, \"end\": 70}]})";
        byte[] got = FaceModelsCommand.packedFile(packed, loader, "face_landmark.tflite", tmp);
        assertEquals(30, got.length);
        assertEquals(40, got[0]);
        assertEquals(69, got[29]);
        String outside = loader.replace("\"end\": 70", "\"end\": 170");
        UserException e = assertThrows(UserException.class, () -> FaceModelsCommand.packedFile(packed, outside, "face_landmark.tflite", tmp));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void readsOneFileOfAnNpmPackage() throws IOException {
        Path tgz = tgz("a.tgz", "package/x.tflite", "TFL3 bytes");
        assertArrayEquals("TFL3 bytes".getBytes(StandardCharsets.UTF_8), FaceModelsCommand.entry(tgz, "package/x.tflite"));
        UserException e = assertThrows(UserException.class, () -> FaceModelsCommand.entry(tgz, "package/y.tflite"));
        assertTrue(e.getMessage().contains("has no package/y.tflite"), e.getMessage());
    }

    @Test
    void missingOrForeignPackagesAreOneLine() throws IOException {
        Run missing = porescope("face-models", "--npm", tmp.toString(), "--out", tmp.resolve("out").toString());
        assertEquals(1, missing.code());
        assertOneLineError(missing, "mediapipe-face_detection-");
        assertTrue(missing.err().contains("npm pack"), missing.err());

        Files.writeString(tmp.resolve("mediapipe-face_detection-" + FaceModelsCommand.DETECTION_VERSION + ".tgz"), "not gzip");
        Run foreign = porescope("face-models", "--npm", tmp.toString(), "--out", tmp.resolve("out").toString());
        assertEquals(1, foreign.code());
        assertOneLineError(foreign, "not a readable npm package");
    }

    private Path tgz(String name, String entry, String content) throws IOException {
        Path file = tmp.resolve(name);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(file)))) {
            TarArchiveEntry e = new TarArchiveEntry(entry);
            e.setSize(bytes.length);
            tar.putArchiveEntry(e);
            tar.write(bytes);
            tar.closeArchiveEntry();
        }
        return file;
    }
}
