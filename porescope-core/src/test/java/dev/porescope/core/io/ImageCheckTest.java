package dev.porescope.core.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageCheckTest {
    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** Signature, IHDR, two IDAT chunks of 100 bytes, IEND: 8 + 25 + 2 x 112 + 12 = 269 bytes. */
    private static byte[] png() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", new byte[13]);
        chunk(out, "IDAT", new byte[100]);
        chunk(out, "IDAT", new byte[100]);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static String problem(byte[] file) {
        return assertThrows(ImageCheck.BadImageException.class, () -> ImageCheck.checkPng(new ByteArrayInputStream(file))).getMessage();
    }

    @Test
    void aWholePngPasses() {
        assertTrue(png().length == 269);
        assertDoesNotThrow(() -> ImageCheck.checkPng(new ByteArrayInputStream(png())));
    }

    @Test
    void everyCutOfAPngIsTruncated() {
        byte[] whole = png();
        for (int cut = 0; cut < whole.length; cut++) {
            String p = problem(Arrays.copyOf(whole, cut));
            assertTrue(p.startsWith("truncated"), cut + ": " + p);
        }
    }

    @Test
    void aCutBetweenChunksNamesWhereItEnds() {
        String p = problem(Arrays.copyOf(png(), 8 + 25 + 112));
        assertTrue(p.contains("at byte 145") && p.contains("IEND") && p.contains("after image data"), p);
    }

    @Test
    void impossibleStructuresAreCorrupt() {
        byte[] noIhdr = png();
        noIhdr[12] = 'X'; // IHDR -> XHDR
        assertTrue(problem(noIhdr).startsWith("corrupt: the first PNG chunk is XHDR"), problem(noIhdr));
        byte[] huge = png();
        huge[33] = (byte) 0xFF; // first IDAT length 0xFF000064: over the 2^31 - 1 the specification allows
        assertTrue(problem(huge).startsWith("corrupt: PNG chunk IDAT"), problem(huge));
        assertTrue(problem(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}).startsWith("not a PNG"));
    }
}
