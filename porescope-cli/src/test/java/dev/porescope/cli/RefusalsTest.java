package dev.porescope.cli;

import dev.porescope.cli.MainTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static dev.porescope.cli.MainTest.assertOneLineError;
import static dev.porescope.cli.MainTest.porescope;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What PoreScope refuses (README table), each case made in code: the exit code, the one line, and
 * that nothing appears under a final output name. In-process, DoG model only (no native runtime).
 */
class RefusalsTest {
    @TempDir
    Path tmp;

    private Path photo(String name) {
        return TestImages.png(TestImages.rgbPhoto(40, 30), tmp.resolve(name));
    }

    /** Exit 2 (bad usage) and exactly one stderr line naming each of {@code mentions}. */
    static void assertUsageError(Run run, String... mentions) {
        assertEquals(2, run.code(), run.err());
        List<String> lines = run.errLines();
        assertEquals(1, lines.size(), "stderr: " + run.err());
        for (String mention : mentions) assertTrue(lines.get(0).contains(mention), "'" + mention + "' missing in: " + lines.get(0));
    }

    @Test
    void anOutputThatIsThePhotoIsRefusedAndThePhotoKept() throws IOException {
        Path in = photo("in.png");
        byte[] before = Files.readAllBytes(in);
        assertUsageError(porescope("analyze", in.toString(), "--model", "dog", "--mask", in.toString()), "--mask", "overwritten");
        assertArrayEquals(before, Files.readAllBytes(in));
        // the same file by another spelling, and through a link to its folder
        Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp);
        assertUsageError(porescope("analyze", in.toString(), "--model", "dog", "--overlay", tmp.resolve("./sub/../in.png").toString()),
                "--overlay");
        assertUsageError(porescope("analyze", in.toString(), "--model", "dog", "--json", link.resolve("in.png").toString()), "--json");
        assertArrayEquals(before, Files.readAllBytes(in));
    }

    @Test
    void twoOutputsInOneFileAreRefusedAndNothingIsWritten() {
        Path in = photo("in.png");
        Path f = tmp.resolve("F");
        assertUsageError(porescope("analyze", in.toString(), "--model", "dog", "--json", f.toString(), "--csv",
                tmp.resolve("x/../F").toString()), "--json", "--csv", "same file");
        assertFalse(Files.exists(f));
    }

    @Test
    void aBatchWhoseOutputsWouldOverwriteItsPhotosIsRefused() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("photos"));
        TestImages.png(TestImages.rgbPhoto(40, 30), dir.resolve("a.png"));
        Path maskLike = TestImages.png(TestImages.rgbPhoto(40, 30), dir.resolve("a.mask.png"));
        byte[] before = Files.readAllBytes(maskLike);
        assertUsageError(porescope("analyze", dir.toString(), "--model", "dog", "--out-dir", dir.toString()), "--mask", "a.mask.png");
        assertArrayEquals(before, Files.readAllBytes(maskLike));
    }

    @Test
    void anUnwritableOutputFailsWithOneLineInsteadOfSuccess() throws IOException {
        Path in = photo("in.png");
        Path notAFolder = Files.writeString(tmp.resolve("file.txt"), "x");
        Run run = porescope("analyze", in.toString(), "--model", "dog", "--zones", "none", "--overlay",
                notAFolder.resolve("o.png").toString());
        assertOneLineError(run, "cannot write", "o.png");
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of("file.txt", "in.png"), left.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /** A valid 8-bit gray PNG of noise, its compressed data split over chunks of 256 bytes. */
    static byte[] pngInChunks(int width, int height) {
        byte[] raw = new byte[(width + 1) * height];
        new java.util.Random(7).nextBytes(raw); // noise: it does not compress, so there are many chunks
        for (int y = 0; y < height; y++) raw[y * (width + 1)] = 0; // filter type "none" on every row
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        byte[] z = new byte[raw.length + 1024];
        int n = deflater.deflate(z);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        for (int at = 0; at < n; at += 256) chunk(png, "IDAT", Arrays.copyOfRange(z, at, Math.min(n, at + 256)));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void aPngCutBetweenTwoChunksIsSaidToBeTruncated() throws IOException {
        byte[] whole = pngInChunks(64, 48);
        assertEquals(64, ImageIO.read(new java.io.ByteArrayInputStream(whole)).getWidth(), "the whole file is a valid PNG");
        // cut right after an IDAT chunk: every chunk that is there is complete
        int cut = 8 + 25 + 3 * (12 + 256);
        Path in = Files.write(tmp.resolve("cut.png"), Arrays.copyOf(whole, cut));
        Path mask = tmp.resolve("mask.png");
        assertOneLineError(porescope("analyze", in.toString(), "--model", "dog", "--mask", mask.toString()), "cut.png", "truncated");
        assertFalse(Files.exists(mask));
        Path whole2 = Files.write(tmp.resolve("whole.png"), whole);
        Run ok = porescope("analyze", whole2.toString(), "--model", "dog", "--zones", "none");
        assertEquals(0, ok.code(), ok.err());
    }

    /** A data folder with one 40x30 photo, a PNG label and the given ROI image (null: none). */
    private Path dataFolder(String name, byte[] maskFile, java.awt.image.BufferedImage roi) throws IOException {
        Path dir = tmp.resolve(name);
        TestImages.png(TestImages.rgbPhoto(40, 30), dir.resolve("images/a.png"));
        Files.createDirectories(dir.resolve("masks"));
        if (maskFile != null) Files.write(dir.resolve("masks/a.png"), maskFile);
        else TestImages.png(TestImages.maskImage(40, 30, 5, 5, 4, 4), dir.resolve("masks/a.png"));
        if (roi != null) TestImages.png(roi, dir.resolve("roi/a.png"));
        return dir;
    }

    @Test
    void aJpegMaskIsRefused() throws IOException {
        // a JPEG saved under the mask's .png name: its labels would be blurred by lossy compression
        Path data = dataFolder("jpeg-mask", TestImages.jpeg(TestImages.maskImage(40, 30, 5, 5, 4, 4)), null);
        assertOneLineError(porescope("eval", "--model", "dog", "--data", data.toString()), "masks/a.png", "JPEG", "PNG");
    }

    @Test
    void anAllZeroRoiIsRefusedInEvalAndTrain() throws IOException {
        Path data = dataFolder("zero-roi", null, TestImages.maskImage(40, 30, 0, 0, 0, 0));
        Path json = tmp.resolve("eval.json");
        assertOneLineError(porescope("eval", "--model", "dog", "--data", data.toString(), "--json", json.toString()),
                "roi/a.png", "all zero");
        assertFalse(Files.exists(json));
        Path model = tmp.resolve("m.pt");
        assertOneLineError(porescope("train", "--data", data.toString(), "--spec", "tiny", "--steps", "1", "--out", model.toString()),
                "roi/a.png", "all zero");
        assertFalse(Files.exists(model));
    }

    @Test
    void aFolderOfDecompressionBombsGivesOneLinePerPhoto() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bombs"));
        // whole files (IHDR, image data, IEND) whose headers claim far more pixels than they hold
        Files.write(dir.resolve("a.png"), TestImages.pngClaiming(Integer.MAX_VALUE, Integer.MAX_VALUE));
        Files.write(dir.resolve("b.png"), TestImages.pngClaiming(100_000, 100_000));
        Files.write(dir.resolve("c.png"), TestImages.pngHeaderOnly(70_000, 1)); // and one cut after its header
        Path summary = tmp.resolve("summary.csv");
        Run run = porescope("analyze", dir.toString(), "--model", "dog", "--summary-csv", summary.toString(), "--out-dir",
                tmp.resolve("out").toString());
        assertEquals(1, run.code(), run.err());
        List<String> lines = run.errLines().stream()
                .filter(l -> l.startsWith("porescope: ") && !l.startsWith("porescope: wrote")).toList();
        assertEquals(4, lines.size(), run.err()); // three photos, then the count of failures
        for (String photo : List.of("a.png", "b.png")) {
            assertTrue(lines.stream().anyMatch(l -> l.contains(photo) && l.contains("over the limit")), run.err());
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("c.png") && l.contains("truncated")), run.err());
        assertFalse(run.err().contains("internal error"), run.err());
        assertFalse(Files.exists(tmp.resolve("out/a.mask.png")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "analyze in.png --model dog --max-megapixels 0|--max-megapixels",
            "analyze in.png --model dog --flatten-sigma NaN|--flatten-sigma",
            "analyze in.png --model dog --blur-sigma -1|--blur-sigma",
            "analyze in.png --model dog --normalize zscore|--normalize",
            "analyze in.png --model dog --pixel-size-um Infinity|--pixel-size-um",
            "analyze in.png --model dog --parallel 0|--parallel",
            "train --synthetic 2 --steps 0 --out m.pt|--steps",
            "train --synthetic 2 --val-split 1 --out m.pt|--val-split",
            "train --synthetic 2 --lr -0.1 --out m.pt|--lr",
            "train --synthetic 2 --threads 100000 --out m.pt|--threads",
            "train --synthetic 2147483647 --out m.pt|--synthetic",
            "train --out m.pt|no training data",
            "synth --out s --count 0|--count",
            "synth --out s --count 2147483647 --size 8192|--count",
            "compare --server a.pt --device b.onnx --data d --count -3|--count",
            "export --model m.pt --format ptl --precision int8 --out m.ptl|fp32 only",
            "export --model m.pt --format ptl --out m.pt|must end in .ptl",
            "bench infer --repeats 0|--repeats",
    })
    void badOptionValuesAreUsageErrors(String caseLine) {
        String[] parts = caseLine.split("\\|");
        String[] args = Arrays.stream(parts[0].split(" "))
                .map(a -> a.equals("in.png") ? photo("in.png").toString() : a.endsWith(".pt") || a.equals("s") ? tmp.resolve(a).toString() : a)
                .toArray(String[]::new);
        assertUsageError(porescope(args), parts[1]);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> !n.equals("in.png")).toList(),
                    "nothing written");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
