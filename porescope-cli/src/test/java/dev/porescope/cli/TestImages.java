package dev.porescope.cli;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

/** Builds image files for tests with ImageIO's own writers and hand-made bytes. */
public final class TestImages {
    private TestImages() { }

    public static Path png(RenderedImage image, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!ImageIO.write(image, "png", file.toFile())) throw new IllegalStateException("no PNG writer");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JPEG at the highest quality from an image, or from a raw Raster (4 bands = CMYK data). */
    public static byte[] jpeg(Object imageOrRaster) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = null;
        while (writers.hasNext()) {
            ImageWriter candidate = writers.next();
            // the JDK writer: it writes a 4-band Raster as is
            if (candidate.getClass().getName().startsWith("com.sun.")) writer = candidate;
        }
        if (writer == null) throw new IllegalStateException("no JDK JPEG writer");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(1f);
            IIOImage image = imageOrRaster instanceof Raster r ? new IIOImage(r, null, null)
                    : new IIOImage((RenderedImage) imageOrRaster, null, null);
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** {@code jpeg} with {@code segment} inserted after SOI and after the JFIF APP0 segment if there is one. */
    public static byte[] insertSegment(byte[] jpeg, byte[] segment) {
        int at = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            at = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        }
        byte[] out = new byte[jpeg.length + segment.length];
        System.arraycopy(jpeg, 0, out, 0, at);
        System.arraycopy(segment, 0, out, at, segment.length);
        System.arraycopy(jpeg, at, out, at + segment.length, jpeg.length - at);
        return out;
    }

    /** An Adobe APP14 segment; transform 0 = CMYK (stored inverted, as Photoshop writes it). */
    public static byte[] adobeApp14(int transform) {
        return new byte[] {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
    }

    /** An APP1 Exif segment whose IFD0 holds only the Orientation tag (0x0112). */
    public static byte[] exifOrientation(int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(26);
        tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8);       // big-endian TIFF header, IFD0 at 8
        tiff.putShort((short) 1);                              // one entry
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);                                        // no next IFD
        ByteBuffer app1 = ByteBuffer.allocate(2 + 2 + 6 + 26);
        app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + 6 + 26));
        app1.put(new byte[] {'E', 'x', 'i', 'f', 0, 0}).put(tiff.array());
        return app1.array();
    }

    /**
     * A PNG signature and IHDR chunk claiming {@code width x height} pixels, 8-bit RGB, then nothing:
     * a reader that tried to decode it would fail on the missing data.
     */
    public static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 4 + 13 + 4);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        b.putInt(13);
        int typeAt = b.position();
        b.put(new byte[] {'I', 'H', 'D', 'R'}).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array(), typeAt, 4 + 13);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * A whole PNG (IHDR, a few bytes of image data, IEND) whose header claims {@code width x height}
     * 8-bit gray pixels: a decompression bomb's shape, its structure intact.
     */
    public static byte[] pngClaiming(int width, int height) {
        byte[] header = pngHeaderOnly(width, height);
        header[8 + 4 + 4 + 9] = 0; // colour type gray
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(header, 12, 4 + 13);
        ByteBuffer b = ByteBuffer.allocate(header.length + 12 + 11 + 12);
        b.put(header, 0, header.length - 4).putInt((int) crc.getValue());
        byte[] data = {0x78, (byte) 0x9C, 0x63, 0, 0, 0, 1, 0, 1, 0, 0}; // some zlib bytes; never decoded
        java.util.zip.CRC32 dataCrc = new java.util.zip.CRC32();
        dataCrc.update("IDAT".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        dataCrc.update(data);
        b.putInt(data.length).put("IDAT".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(data).putInt((int) dataCrc.getValue());
        b.putInt(0).put("IEND".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0xAE426082);
        return b.array();
    }

    /** The first {@code fraction} of a file's bytes. */
    public static Path truncate(Path file, double fraction) {
        try {
            byte[] all = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(all, (int) (all.length * fraction)));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A smooth RGB test photo (no two neighbouring pixels far apart), deterministic. */
    public static BufferedImage rgbPhoto(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (40 + x * 3 % 200) << 16 | (60 + y * 2 % 150) << 8 | (90 + (x + y) % 100));
            }
        }
        return image;
    }

    /** A gray 8-bit mask image: 255 inside the given rectangle. */
    public static BufferedImage maskImage(int width, int height, int x0, int y0, int w, int h) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                image.getRaster().setSample(x, y, 0, 255);
            }
        }
        return image;
    }
}
