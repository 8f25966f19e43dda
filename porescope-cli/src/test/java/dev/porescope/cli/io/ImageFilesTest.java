package dev.porescope.cli.io;

import dev.porescope.cli.TestImages;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFilesTest {
    @TempDir
    Path tmp;

    private final ImageFiles files = ImageFiles.defaults();

    private static int r(int argb) { return argb >> 16 & 0xFF; }
    private static int g(int argb) { return argb >> 8 & 0xFF; }
    private static int b(int argb) { return argb & 0xFF; }

    @Test
    void png8BitRgbReadsExactPixels() {
        BufferedImage photo = new BufferedImage(13, 7, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int y = 0; y < 7; y++) for (int x = 0; x < 13; x++) photo.setRGB(x, y, random.nextInt(1 << 24));
        ArgbImage read = files.readArgb(TestImages.png(photo, tmp.resolve("rgb.png")));
        assertEquals(13, read.width());
        assertEquals(7, read.height());
        for (int y = 0; y < 7; y++) for (int x = 0; x < 13; x++) assertEquals(photo.getRGB(x, y), read.get(x, y));
    }

    @Test
    void pngRgbaKeepsAlpha() {
        BufferedImage photo = new BufferedImage(4, 3, BufferedImage.TYPE_INT_ARGB);
        photo.setRGB(1, 2, 0x80123456);
        photo.setRGB(0, 0, 0xFF010203);
        ArgbImage read = files.readArgb(TestImages.png(photo, tmp.resolve("rgba.png")));
        assertEquals(0x80123456, read.get(1, 2));
        assertEquals(0xFF010203, read.get(0, 0));
        assertEquals(0, read.get(3, 2) >>> 24);
    }

    @Test
    void png8BitGrayIsReadWithoutGammaChange() {
        BufferedImage gray = new BufferedImage(256, 1, BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 0; x < 256; x++) gray.getRaster().setSample(x, 0, 0, x);
        ArgbImage read = files.readArgb(TestImages.png(gray, tmp.resolve("gray.png")));
        for (int x = 0; x < 256; x++) {
            int p = read.get(x, 0);
            assertEquals(x, r(p));
            assertEquals(x, g(p));
            assertEquals(x, b(p));
            assertEquals(255, p >>> 24);
        }
    }

    @Test
    void png16BitGrayScalesTo8Bit() {
        BufferedImage gray = new BufferedImage(300, 1, BufferedImage.TYPE_USHORT_GRAY);
        int[] samples = new int[300];
        for (int x = 0; x < 300; x++) {
            samples[x] = x * 65535 / 299;
            gray.getRaster().setSample(x, 0, 0, samples[x]);
        }
        Path file = TestImages.png(gray, tmp.resolve("gray16.png"));
        assertEquals(16, pngBitDepth(file));
        ArgbImage read = files.readArgb(file);
        for (int x = 0; x < 300; x++) {
            int expected = (int) Math.round(samples[x] / 257.0);
            assertEquals(expected, r(read.get(x, 0)), "x=" + x);
            assertEquals(expected, b(read.get(x, 0)), "x=" + x);
        }
    }

    @Test
    void png16BitRgbScalesTo8Bit() {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(5, 2);
        BufferedImage rgb16 = new BufferedImage(cm, raster, false, null);
        raster.setPixel(3, 1, new int[] {65535, 32896, 257 * 10});
        raster.setPixel(0, 0, new int[] {0, 128, 65407});
        Path file = TestImages.png(rgb16, tmp.resolve("rgb16.png"));
        assertEquals(16, pngBitDepth(file));
        ArgbImage read = files.readArgb(file);
        assertEquals(0xFF000000 | 255 << 16 | 128 << 8 | 10, read.get(3, 1));
        assertEquals(0xFF000000 | 0 << 16 | Math.round(128 / 257f) << 8 | Math.round(65407 / 257f), read.get(0, 0));
    }

    @Test
    void pngPaletteReadsItsColours() {
        byte[] reds = {(byte) 255, 0, 0, 17};
        byte[] greens = {0, (byte) 255, 0, 34};
        byte[] blues = {0, 0, (byte) 255, 51};
        IndexColorModel palette = new IndexColorModel(2, 4, reds, greens, blues);
        BufferedImage indexed = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
        for (int x = 0; x < 4; x++) indexed.getRaster().setSample(x, 0, 0, x);
        ArgbImage read = files.readArgb(TestImages.png(indexed, tmp.resolve("palette.png")));
        assertArrayEquals(new int[] {0xFFFF0000, 0xFF00FF00, 0xFF0000FF, 0xFF112233}, read.argb());
    }

    @Test
    void jpegGreyscaleIsReadAsGray() throws IOException {
        BufferedImage gray = new BufferedImage(32, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 32; x++) gray.getRaster().setSample(x, y, 0, x < 16 ? 60 : 200);
        Path file = Files.write(tmp.resolve("gray.jpg"), TestImages.jpeg(gray));
        ArgbImage read = files.readArgb(file);
        assertEquals(32, read.width());
        // block centres, away from the edge that JPEG smooths
        assertNear(60, r(read.get(4, 8)), 3);
        assertNear(200, r(read.get(27, 8)), 3);
        assertEquals(r(read.get(27, 8)), b(read.get(27, 8)));
    }

    @Test
    void jpegCmykIsConvertedToRgb() throws IOException {
        // Adobe CMYK JPEGs store ink inverted: 255 = no ink. Quadrants: paper, cyan, black, magenta+yellow (red).
        int[][] inverted = {{255, 255, 255, 255}, {0, 255, 255, 255}, {255, 255, 255, 0}, {255, 0, 0, 255}};
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 32, 32, 4, null);
        for (int y = 0; y < 32; y++) for (int x = 0; x < 32; x++) cmyk.setPixel(x, y, inverted[(y / 16) * 2 + x / 16]);
        byte[] jpeg = TestImages.insertSegment(TestImages.jpeg(cmyk), TestImages.adobeApp14(0));
        ArgbImage read = files.readArgb(Files.write(tmp.resolve("cmyk.jpg"), jpeg));
        int[][] centres = {{8, 8}, {24, 8}, {8, 24}, {24, 24}};
        for (int q = 0; q < 4; q++) {
            int p = read.get(centres[q][0], centres[q][1]);
            int[] ink = inverted[q];
            // naive CMYK -> RGB: channel = (255 - ink) * (255 - black) / 255, with stored values already inverted
            assertNear(ink[0] * ink[3] / 255, r(p), 40);
            assertNear(ink[1] * ink[3] / 255, g(p), 40);
            assertNear(ink[2] * ink[3] / 255, b(p), 40);
        }
    }

    @Test
    void exifOrientationTurnsThePhotoUpright() throws IOException {
        // four 16x16 quadrants: red, green / blue, white
        int[] colours = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF};
        BufferedImage stored = new BufferedImage(32, 32 + 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) for (int x = 0; x < 32; x++) stored.setRGB(x, y, colours[Math.min(y / 16, 1) * 2 + x / 16]);
        byte[] plain = TestImages.jpeg(stored);
        for (int orientation = 1; orientation <= 8; orientation++) {
            byte[] tagged = TestImages.insertSegment(plain, TestImages.exifOrientation(orientation));
            Path file = Files.write(tmp.resolve("o" + orientation + ".jpg"), tagged);
            assertEquals(orientation, ImageFiles.exifOrientation(file));
            // from the file, and from its bytes in memory (what porescope batch gets from Spark)
            for (ArgbImage read : List.of(files.readArgb(file), files.readArgb(tagged, "o" + orientation + ".jpg"))) {
                BufferedImage expected = upright(stored, orientation);
                assertEquals(expected.getWidth(), read.width(), "orientation " + orientation);
                assertEquals(expected.getHeight(), read.height(), "orientation " + orientation);
                for (int y = 4; y < read.height(); y += 8) {
                    for (int x = 4; x < read.width(); x += 8) {
                        int want = expected.getRGB(x, y);
                        int got = read.get(x, y);
                        assertNear(r(want), r(got), 12);
                        assertNear(g(want), g(got), 12);
                        assertNear(b(want), b(got), 12);
                    }
                }
            }
        }
    }

    /** What a viewer shows, by the EXIF definition: the row/column each orientation's first pixel row comes from. */
    private static BufferedImage upright(BufferedImage stored, int orientation) {
        int w = stored.getWidth();
        int h = stored.getHeight();
        // EXIF: 2 mirror, 3 rotate 180, 4 mirror vertically, 5 mirror + rotate 270 clockwise,
        // 6 rotate 90 clockwise, 7 mirror + rotate 90 clockwise, 8 rotate 270 clockwise.
        BufferedImage image = stored;
        switch (orientation) {
            case 2 -> image = mirror(image);
            case 3 -> image = rotateClockwise(rotateClockwise(image));
            case 4 -> image = mirror(rotateClockwise(rotateClockwise(image)));
            case 5 -> image = rotateClockwise(rotateClockwise(rotateClockwise(mirror(image))));
            case 6 -> image = rotateClockwise(image);
            case 7 -> image = rotateClockwise(mirror(image));
            case 8 -> image = rotateClockwise(rotateClockwise(rotateClockwise(image)));
            default -> { }
        }
        assertEquals((long) w * h, (long) image.getWidth() * image.getHeight());
        return image;
    }

    private static BufferedImage mirror(BufferedImage in) {
        BufferedImage out = new BufferedImage(in.getWidth(), in.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < in.getHeight(); y++) for (int x = 0; x < in.getWidth(); x++) out.setRGB(in.getWidth() - 1 - x, y, in.getRGB(x, y));
        return out;
    }

    private static BufferedImage rotateClockwise(BufferedImage in) {
        int h = in.getHeight();
        BufferedImage out = new BufferedImage(h, in.getWidth(), BufferedImage.TYPE_INT_RGB);
        // the left column, read bottom to top, becomes the top row
        for (int y = 0; y < h; y++) for (int x = 0; x < in.getWidth(); x++) out.setRGB(h - 1 - y, x, in.getRGB(x, y));
        return out;
    }

    @Test
    void photoOverThePixelLimitIsRefusedFromItsHeader() throws IOException {
        // 100000 x 100000 claimed, a few bytes of pixel data: decoding would fail differently (and need 40 GB)
        Path file = Files.write(tmp.resolve("huge.png"), TestImages.pngClaiming(100_000, 100_000));
        assertThrows(UserException.class, () -> files.readSize(file)); // the header alone refuses it
        UserException e = assertThrows(UserException.class, () -> files.readArgb(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("10000.0 MP") && e.getMessage().contains("limit of 50.0 MP"), e.getMessage());
        byte[] huge = Files.readAllBytes(file);
        assertEquals(new ImageFiles.Size(100_000, 100_000), files.readSize(huge, "in-memory.png"));
        assertTrue(assertThrows(UserException.class, () -> files.readArgb(huge, "in-memory.png")).getMessage()
                .startsWith("in-memory.png is 100000x100000"));
        // and a configurable limit: a real 40x30 photo against a 1000-pixel limit
        Path small = TestImages.png(TestImages.rgbPhoto(40, 30), tmp.resolve("small.png"));
        assertThrows(UserException.class, () -> new ImageFiles(1000).readArgb(small));
        assertEquals(40, new ImageFiles(1200).readArgb(small).width());
    }

    @Test
    void truncatedPngIsRefusedWithItsName() {
        Path file = TestImages.png(noisy(64, 64), tmp.resolve("cut.png"));
        TestImages.truncate(file, 0.5);
        UserException e = assertThrows(UserException.class, () -> files.readArgb(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedJpegIsRefusedNotFilledWithGrey() throws IOException {
        Path file = Files.write(tmp.resolve("cut.jpg"), TestImages.jpeg(noisy(64, 64)));
        TestImages.truncate(file, 0.6);
        UserException e = assertThrows(UserException.class, () -> files.readArgb(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        byte[] cut = Files.readAllBytes(file);
        UserException inMemory = assertThrows(UserException.class, () -> files.readArgb(cut, "hdfs://nn/cut.jpg"));
        assertTrue(inMemory.getMessage().startsWith("hdfs://nn/cut.jpg is truncated"), inMemory.getMessage());
    }

    @Test
    void fileThatIsNoImageIsRefused() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.png"), "not a picture\n");
        UserException e = assertThrows(UserException.class, () -> files.readArgb(text));
        assertTrue(e.getMessage().startsWith(text + " is not a PNG or JPEG image"), e.getMessage());
        Path empty = Files.write(tmp.resolve("empty.jpg"), new byte[0]);
        assertTrue(assertThrows(UserException.class, () -> files.readArgb(empty)).getMessage().contains("empty"));
        Path missing = tmp.resolve("missing.png");
        assertTrue(assertThrows(UserException.class, () -> files.readArgb(missing)).getMessage().contains("does not exist"));
    }

    @Test
    void masksAreNonzeroPixelsAndRoundTrip() {
        Mask mask = new Mask(9, 5);
        mask.set(0, 0, true);
        mask.set(8, 4, true);
        mask.set(3, 2, true);
        Path file = tmp.resolve("sub/mask.png");
        PngFiles.writeMask(mask, file);
        assertEquals(mask, files.readMask(file));
        ArgbImage pixels = files.readArgb(file);
        assertEquals(0xFFFFFFFF, pixels.get(3, 2));
        assertEquals(0xFF000000, pixels.get(4, 2));
        // a mask drawn in colour or with 1 instead of 255 counts too
        BufferedImage rgb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(1, 0, 0x000100);
        assertArrayEquals(new boolean[] {false, true, false}, files.readMask(TestImages.png(rgb, tmp.resolve("rgbmask.png"))).bits());
        BufferedImage gray16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        gray16.getRaster().setSample(1, 0, 0, 1);
        assertArrayEquals(new boolean[] {false, true}, files.readMask(TestImages.png(gray16, tmp.resolve("m16.png"))).bits());
        // an 8-bit grey ROI: 100 is inside, as on the phone (porescope-android BitmapsTest)
        BufferedImage gray8 = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray8.getRaster().setSample(1, 0, 0, 100);
        gray8.getRaster().setSample(2, 0, 0, 255);
        assertArrayEquals(new boolean[] {false, true, true}, files.readMask(TestImages.png(gray8, tmp.resolve("roi8.png"))).bits());
    }

    @Test
    void writesAreAtomicAndLeaveNoTemporaryFiles() throws IOException {
        Plane plane = new Plane(3, 1, new float[] {0f, 0.5f, 2f});
        Path gray = tmp.resolve("out/gray.png");
        PngFiles.writeGray(plane, gray);
        PngFiles.writeGray(plane, gray); // replacing an existing file works too
        ArgbImage read = files.readArgb(gray);
        assertEquals(0, r(read.get(0, 0)));
        assertEquals(128, r(read.get(1, 0)));
        assertEquals(255, r(read.get(2, 0)));
        ArgbImage colour = new ArgbImage(2, 1, new int[] {0xFF102030, 0x7F405060});
        PngFiles.writeArgb(colour, tmp.resolve("out/colour.png"));
        assertArrayEquals(colour.argb(), files.readArgb(tmp.resolve("out/colour.png")).argb());
        try (Stream<Path> left = Files.list(tmp.resolve("out"))) {
            assertEquals(2, left.count());
        }
    }

    private static BufferedImage noisy(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) image.setRGB(x, y, random.nextInt(1 << 24));
        return image;
    }

    private static int pngBitDepth(Path png) {
        try {
            return Files.readAllBytes(png)[24];
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertNear(int expected, int actual, int tolerance) {
        assertTrue(Math.abs(expected - actual) <= tolerance, "expected " + expected + " +- " + tolerance + ", got " + actual);
    }
}
