package dev.porescope.cli.io;

import dev.porescope.core.image.Mask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.Adler32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Every PNG the encoder writes decodes, in the JDK's own PNG reader, to exactly the pixels given. */
class PngEncoderTest {

    private static int[] randomArgb(int n, long seed, boolean alpha) {
        Random r = new Random(seed);
        int[] px = new int[n];
        for (int i = 0; i < n; i++) px[i] = alpha ? r.nextInt() : 0xff000000 | r.nextInt(1 << 24);
        return px;
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(image, "ImageIO could not read the PNG");
        return image;
    }

    @Test
    void rgbAndRgbaInManyBandsDecodeToTheSamePixels() throws IOException {
        // odd sizes; bands of a few rows each, so that many sync-flushed bands make one zlib stream
        for (int[] size : new int[][] {{1, 1}, {7, 3}, {61, 47}, {300, 211}}) {
            for (boolean alpha : new boolean[] {false, true}) {
                int w = size[0];
                int h = size[1];
                int[] argb = randomArgb(w * h, w * 31L + h, alpha);
                for (int bandBytes : new int[] {1, 500, PngEncoder.BAND_BYTES}) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    PngEncoder.Kind kind = alpha ? PngEncoder.Kind.RGBA : PngEncoder.Kind.RGB;
                    PngEncoder.write(kind, w, h, (y, row) -> {
                        for (int x = 0; x < w; x++) {
                            int p = argb[y * w + x];
                            int o = x * kind.bytesPerPixel;
                            row[o] = (byte) (p >> 16);
                            row[o + 1] = (byte) (p >> 8);
                            row[o + 2] = (byte) p;
                            if (alpha) row[o + 3] = (byte) (p >>> 24);
                        }
                    }, bandBytes, out);
                    assertEquals((long) h * (w * kind.bytesPerPixel + 1), inflatedChecked(out.toByteArray()));
                    BufferedImage back = decode(out.toByteArray());
                    assertEquals(w, back.getWidth());
                    assertEquals(h, back.getHeight());
                    assertArrayEquals(argb, back.getRGB(0, 0, w, h, null, 0, w), w + "x" + h + " alpha " + alpha + " band " + bandBytes);
                }
            }
        }
    }

    /**
     * Walks the chunks (each CRC checked), inflates the IDAT stream to its end with zlib, which
     * checks the stream's Adler-32, and returns how many bytes it held.
     */
    private static long inflatedChecked(byte[] png) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(png, 8, png.length - 8);
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        while (in.hasRemaining()) {
            int length = in.getInt();
            byte[] typeAndBody = new byte[4 + length];
            in.get(typeAndBody);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(typeAndBody);
            assertEquals((int) crc.getValue(), in.getInt(), "chunk CRC");
            if (new String(typeAndBody, 0, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("IDAT")) {
                idat.write(typeAndBody, 4, length);
            }
        }
        java.util.zip.Inflater inflater = new java.util.zip.Inflater();
        inflater.setInput(idat.toByteArray());
        byte[] buf = new byte[1 << 16];
        long total = 0;
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) throw new AssertionError("zlib stream ends early");
                total += n;
            }
        } catch (java.util.zip.DataFormatException e) {
            throw new AssertionError("zlib stream is broken (a wrong Adler-32 shows here): " + e.getMessage());
        } finally {
            inflater.end();
        }
        return total;
    }

    @Test
    void aMaskWrittenThroughPngFilesReadsBackAsTheSameMask(@TempDir Path dir) throws IOException {
        int w = 517;
        int h = 389;
        Mask mask = new Mask(w, h);
        Random r = new Random(3);
        for (int i = 0; i < mask.bits().length; i++) mask.bits()[i] = r.nextInt(7) == 0;
        Path file = dir.resolve("m.png");
        PngFiles.writeMask(mask, file);
        BufferedImage back = ImageIO.read(file.toFile());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, back.getType());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals(mask.get(x, y) ? 255 : 0, back.getRaster().getSample(x, y, 0), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void adlerOfTwoRunsCombinesAsZlibDoes() {
        Random r = new Random(5);
        for (int n = 0; n < 50; n++) {
            byte[] a = new byte[r.nextInt(100_000)];
            byte[] b = new byte[r.nextInt(100_000)];
            r.nextBytes(a);
            r.nextBytes(b);
            Adler32 whole = new Adler32();
            whole.update(a);
            whole.update(b);
            Adler32 first = new Adler32();
            first.update(a);
            Adler32 second = new Adler32();
            second.update(b);
            assertEquals(whole.getValue(), PngEncoder.combine(first.getValue(), second.getValue(), b.length));
        }
    }
}
