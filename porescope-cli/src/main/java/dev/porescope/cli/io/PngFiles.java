package dev.porescope.cli.io;

import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.io.AtomicFiles;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

/** Writes PNGs (masks, label maps, grey planes, ARGB pictures) atomically; {@link ImageFiles} reads. */
public final class PngFiles {
    private PngFiles() { }


    /** An 8-bit gray PNG, 255 where the mask is set (PoreScope's mask format). */
    public static void writeMask(Mask mask, Path file) {
        BufferedImage image = new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        boolean[] bits = mask.bits();
        for (int i = 0; i < bits.length; i++) {
            data[i] = bits[i] ? (byte) 255 : 0;
        }
        writePng(image, file);
    }

    /** An 8-bit gray PNG of one label byte per pixel (the zone mask: 0 = not analysed, one value per zone). */
    public static void writeLabels(byte[] labels, int width, int height, Path file) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(labels, 0, data, 0, data.length);
        writePng(image, file);
    }

    /** An 8-bit gray PNG of {@code plane}, values in [0, 1] (clamped). */
    public static void writeGray(Plane plane, Path file) {
        BufferedImage image = new BufferedImage(plane.width(), plane.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        float[] v = plane.values();
        for (int i = 0; i < v.length; i++) {
            float c = Math.max(0f, Math.min(1f, v[i]));
            data[i] = (byte) Math.round(c * 255f);
        }
        writePng(image, file);
    }

    /** An RGB PNG, or RGBA when some pixel is not opaque. */
    public static void writeArgb(ArgbImage argb, Path file) {
        boolean opaque = true;
        for (int p : argb.argb()) {
            if (p >>> 24 != 255) {
                opaque = false;
                break;
            }
        }
        BufferedImage image = new BufferedImage(argb.width(), argb.height(),
                opaque ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB);
        WritableRaster raster = image.getRaster();
        int[] data = ((DataBufferInt) raster.getDataBuffer()).getData();
        System.arraycopy(argb.argb(), 0, data, 0, data.length);
        writePng(image, file);
    }

    /**
     * The PNG writer's compression quality: the JDK maps quality q to deflate level
     * {@code (int) (9 (1 - q))}, so 0.85 is level 1. Level 1 encodes a 12 MP overlay several times
     * faster than the default level 4 for files about 10 % larger; the pixels are the same.
     */
    static final float PNG_QUALITY = 0.85f;

    /** Writes to a temporary name beside {@code file} and renames it, so a reader never sees half a PNG. */
    public static void writePng(BufferedImage image, Path file) {
        AtomicFiles.write(file, tmp -> {
            Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
            if (!writers.hasNext()) throw new IOException("no PNG writer in this Java");
            ImageWriter writer = writers.next();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(tmp.toFile())) {
                writer.setOutput(out);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(PNG_QUALITY);
                writer.write(null, new IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
        });
    }
}
