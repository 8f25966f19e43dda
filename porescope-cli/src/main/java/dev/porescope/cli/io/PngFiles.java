package dev.porescope.cli.io;

import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.io.AtomicFiles;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes PNGs (masks, label maps, grey planes, ARGB pictures) atomically through {@link PngEncoder}; {@link ImageFiles} reads. */
public final class PngFiles {
    private PngFiles() { }


    /** An 8-bit gray PNG, 255 where the mask is set (PoreScope's mask format). */
    public static void writeMask(Mask mask, Path file) {
        boolean[] bits = mask.bits();
        byte[] data = new byte[bits.length];
        for (int i = 0; i < bits.length; i++) {
            data[i] = bits[i] ? (byte) 255 : 0;
        }
        writeGray(data, mask.width(), mask.height(), file);
    }

    /** An 8-bit gray PNG of one label byte per pixel (the zone mask: 0 = not analysed, one value per zone). */
    public static void writeLabels(byte[] labels, int width, int height, Path file) {
        writeGray(labels, width, height, file);
    }

    /** An 8-bit gray PNG of {@code plane}, values in [0, 1] (clamped). */
    public static void writeGray(Plane plane, Path file) {
        float[] v = plane.values();
        byte[] data = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            float c = Math.max(0f, Math.min(1f, v[i]));
            data[i] = (byte) Math.round(c * 255f);
        }
        writeGray(data, plane.width(), plane.height(), file);
    }

    /** An RGB PNG, or RGBA when some pixel is not opaque. */
    public static void writeArgb(ArgbImage argb, Path file) {
        writeArgb(argb.argb(), argb.width(), argb.height(), file);
    }

    /** A picture drawn with java.awt: RGB, RGBA when some pixel is not opaque, or gray for a gray image. */
    public static void writePng(BufferedImage image, Path file) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY && image.getRaster().getDataBuffer() instanceof DataBufferByte bytes
                && bytes.getData().length == w * h) {
            writeGray(bytes.getData(), w, h, file);
        } else if (image.getType() == BufferedImage.TYPE_INT_RGB && image.getRaster().getDataBuffer() instanceof DataBufferInt ints
                && ints.getData().length == w * h) {
            write(file, out -> PngEncoder.writeArgb(ints.getData(), w, h, false, out));
        } else {
            writeArgb(image.getRGB(0, 0, w, h, null, 0, w), w, h, file);
        }
    }

    private static void writeArgb(int[] argb, int w, int h, Path file) {
        boolean opaque = true;
        for (int p : argb) {
            if (p >>> 24 != 255) {
                opaque = false;
                break;
            }
        }
        boolean alpha = !opaque;
        write(file, out -> PngEncoder.writeArgb(argb, w, h, alpha, out));
    }

    private static void writeGray(byte[] gray, int w, int h, Path file) {
        write(file, out -> PngEncoder.writeGray(gray, w, h, out));
    }

    private interface Encoding {
        void to(OutputStream out) throws IOException;
    }

    /** Writes to a temporary name beside {@code file} and renames it, so a reader never sees half a PNG. */
    private static void write(Path file, Encoding encoding) {
        AtomicFiles.write(file, tmp -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                encoding.to(out);
            }
        });
    }
}
