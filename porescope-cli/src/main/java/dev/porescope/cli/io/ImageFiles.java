package dev.porescope.cli.io;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Metadata;
import com.drew.metadata.MetadataException;
import com.drew.metadata.exif.ExifIFD0Directory;
import dev.porescope.cli.support.Messages;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.image.Mask;
import dev.porescope.core.io.ImageCheck;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.color.ColorSpace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reads photos (PNG 8/16-bit gray, RGB, RGBA, palette; JPEG RGB, greyscale, CMYK/YCCK) into ARGB
 * pixels with the EXIF orientation applied, and label/ROI masks. A photo larger than
 * {@link #maxPixels()} is refused from its header, before it is decoded. {@link PngFiles} writes.
 */
public final class ImageFiles {
    /** 50 megapixels: a 12 MP phone photo fits four times over; a decompression bomb does not. */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    private final long maxPixels;

    public ImageFiles(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("pixel limit must be positive, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    public static ImageFiles defaults() {
        return new ImageFiles(DEFAULT_MAX_PIXELS);
    }

    public long maxPixels() {
        return maxPixels;
    }

    /** Width and height as stored in the file header (before EXIF orientation). */
    public record Size(int width, int height) {
        public long pixels() { return (long) width * height; }
        @Override public String toString() { return width + "x" + height; }
    }

    /**
     * The stored size from the header only; nothing is decoded. A photo over {@link #maxPixels()} (a
     * decompression bomb) is refused here too, so that nothing sizes memory or tiles from its header.
     */
    public Size readSize(Path file) {
        return withReader(file, (f, reader, in) -> checkLimit(f, new Size(reader.getWidth(0), reader.getHeight(0))));
    }

    /** A photo over the pixel limit (the server answers it with 413). */
    public static final class TooLargeException extends UserException {
        TooLargeException(String message) {
            super(message);
        }
    }

    /** The stored size from the header, refused with {@link TooLargeException} when over the pixel limit. */
    public Size readSizeWithinLimit(Path file) {
        return readSize(file);
    }

    private Size checkLimit(Object file, Size size) {
        if (size.pixels() > maxPixels) {
            throw new TooLargeException(file + " is " + size + " (" + megapixels(size.pixels())
                    + " MP), over the limit of " + megapixels(maxPixels)
                    + " MP; scale it down or raise the limit with --max-megapixels");
        }
        return size;
    }

    /** Decodes a photo into upright ARGB pixels. */
    public ArgbImage readArgb(Path file) {
        BufferedImage image = decode(file);
        ArgbImage stored = toArgb(image);
        return isJpeg(file) ? Orientation.apply(stored, exifOrientation(file)) : stored;
    }

    /** As {@link #readSize(Path)}, for a photo already read into memory; {@code name} names it in messages. */
    public Size readSize(byte[] data, String name) {
        return withReader(name, () -> new ByteArrayInputStream(data), data.length,
                (f, reader, in) -> new Size(reader.getWidth(0), reader.getHeight(0)));
    }

    /**
     * Decodes a photo already read into memory (e.g. by Spark from any Hadoop file system) into
     * upright ARGB pixels, with the same checks and messages as {@link #readArgb(Path)};
     * {@code name} stands for the file in them.
     */
    public ArgbImage readArgb(byte[] data, String name) {
        BufferedImage image = withReader(name, () -> new ByteArrayInputStream(data), data.length, this::decode);
        ArgbImage stored = toArgb(image);
        return isJpeg(data) ? Orientation.apply(stored, exifOrientation(() -> new ByteArrayInputStream(data))) : stored;
    }

    /**
     * A label or ROI mask: any PNG (gray, RGB, palette, 8 or 16 bit); a pixel is set where any colour
     * sample is nonzero (255 = pore in PoreScope's own masks).
     */
    public Mask readMask(Path file) {
        if (isJpeg(file)) {
            throw new UserException(file + " is a JPEG: lossy compression blurs a mask's edges into values that are"
                    + " neither label nor background; save the mask as PNG");
        }
        BufferedImage image = decode(file);
        int w = image.getWidth();
        int h = image.getHeight();
        // core's one rule (Mask.isSet / Mask.fromArgb), which the phone applies to its Bitmaps too;
        // 8- and 16-bit grey and RGB are read as raw samples so no colour conversion rounds a value to 0
        ColorModel cm = image.getColorModel();
        if (!(cm instanceof ComponentColorModel)) {
            return Mask.fromArgb(image.getRGB(0, 0, w, h, null, 0, w), w, h);
        }
        boolean[] bits = new boolean[w * h];
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        int colourBands = cm.getNumColorComponents();
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w; x++) {
                bits[y * w + x] = Mask.isSet(row, x * bands, colourBands);
            }
        }
        return new Mask(w, h, bits);
    }

    private BufferedImage decode(Path file) {
        return withReader(file, this::decode);
    }

    /** Decodes the first image of {@code reader}; {@code file} names the photo in messages. */
    private BufferedImage decode(Object file, ImageReader reader, ImageInputStream in) throws IOException {
        checkLimit(file, new Size(reader.getWidth(0), reader.getHeight(0)));
        List<String> warnings = new ArrayList<>();
        IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
        reader.addIIOReadWarningListener(listener);
        BufferedImage image = reader.read(0, reader.getDefaultReadParam());
        for (String warning : warnings) {
            String w = warning.toLowerCase(Locale.ROOT);
            // Decoders fill a truncated JPEG with grey and only warn; such a photo must not be analysed.
            if (w.contains("premature end") || w.contains("truncat") || w.contains("eof")) {
                throw new UserException(file + " is truncated (" + warning.strip()
                        + "); copy the file again from its source");
            }
        }
        return image;
    }

    @FunctionalInterface
    private interface ReaderJob<T> {
        T run(Object file, ImageReader reader, ImageInputStream in) throws IOException;
    }

    /** Opens the bytes of a photo. */
    @FunctionalInterface
    private interface Opener {
        InputStream open() throws IOException;
    }

    private static <T> T withReader(Path file, ReaderJob<T> job) {
        if (!Files.exists(file)) {
            throw new UserException(file + " does not exist; check the path");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserException(file + " is not a file; give a PNG or JPEG image");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = -1; // opening it below says what is wrong
        }
        return withReader(file, () -> Files.newInputStream(file), size, job);
    }

    /** Runs {@code job} on an ImageIO reader of the bytes {@code open} gives; {@code name} names them in messages. */
    private static <T> T withReader(Object file, Opener open, long size, ReaderJob<T> job) {
        checkStructure(file, open);
        try (InputStream raw = open.open();
             ImageInputStream in = ImageIO.createImageInputStream(raw)) {
            ImageReader reader = readerFor(in);
            if (reader == null) {
                throw new UserException(file + " is not a PNG or JPEG image"
                        + (size == 0 ? " (the file is empty)" : "") + "; give a .png or .jpg photo");
            }
            try {
                reader.setInput(in, true, false);
                return job.run(file, reader, in);
            } finally {
                reader.dispose();
            }
        } catch (UserException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new UserException(file + " does not exist; check the path", e);
        } catch (IOException | RuntimeException e) {
            // ImageIO reports truncated and corrupt data as IIOException, EOFException, or (some plug-ins)
            // IndexOutOfBounds/IllegalArgument; all mean the same to the user.
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
            if (e instanceof IIOException && e.getCause() != null && e.getCause().getMessage() != null) {
                detail = detail + ": " + e.getCause().getMessage().strip();
            }
            throw new UserException(file + " is truncated or corrupt (" + Messages.oneLine(detail)
                    + "); check the file or export it again", e);
        }
    }

    /** A PNG's chunks are walked in pure Java first: a file cut short is said to be truncated. */
    private static void checkStructure(Object file, Opener open) {
        try (InputStream in = open.open()) {
            byte[] head = in.readNBytes(8);
            if (!ImageCheck.isPng(head)) return;
        } catch (IOException e) {
            return; // the reader below reports what cannot be read
        }
        try (InputStream in = open.open()) {
            ImageCheck.checkPng(in);
        } catch (ImageCheck.BadImageException e) {
            throw new UserException(file + " is " + e.getMessage() + "; copy the file again from its source, or export it again", e);
        } catch (IOException e) {
            throw new UserException("cannot read " + file + " (" + Messages.oneLine(String.valueOf(e.getMessage()))
                    + "); check the file and its permissions", e);
        }
    }

    /** TwelveMonkeys first for JPEG (CMYK/YCCK, lenient with phone files), the JDK's reader for PNG. */
    private static ImageReader readerFor(ImageInputStream in) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        ImageReader chosen = null;
        while (readers.hasNext()) {
            ImageReader candidate = readers.next();
            String format;
            try {
                format = candidate.getFormatName().toLowerCase(Locale.ROOT);
            } catch (IOException e) {
                continue;
            }
            if (!format.equals("png") && !format.equals("jpeg") && !format.equals("jpg")) {
                continue;
            }
            boolean twelveMonkeys = candidate.getClass().getName().startsWith("com.twelvemonkeys");
            if (chosen == null || twelveMonkeys) {
                chosen = candidate;
            }
        }
        return chosen;
    }

    private static boolean isJpeg(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return isJpeg(in.readNBytes(2));
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether {@code head} starts with a JPEG's SOI marker. */
    private static boolean isJpeg(byte[] head) {
        return head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8;
    }

    /** EXIF orientation 1-8 of a JPEG; 1 when the file has none or it cannot be read. */
    static int exifOrientation(Path file) {
        return exifOrientation(() -> Files.newInputStream(file));
    }

    private static int exifOrientation(Opener open) {
        try (InputStream in = open.open()) {
            Metadata metadata = ImageMetadataReader.readMetadata(in);
            ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (ifd0 != null && ifd0.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                int orientation = ifd0.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                return orientation >= 1 && orientation <= 8 ? orientation : 1;
            }
        } catch (ImageProcessingException | IOException | MetadataException | RuntimeException e) {
            // Broken metadata must not stop an otherwise readable photo; it is shown as stored.
        }
        return 1;
    }

    /**
     * Pixels as 8-bit ARGB. Gray and 16-bit images are read from their samples: BufferedImage.getRGB
     * would treat gray as linear light and brighten it (gamma), which would change the luma.
     */
    static ArgbImage toArgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = new int[w * h];
        ColorModel cm = image.getColorModel();
        int type = cm.getColorSpace().getType();
        boolean plainComponents = cm instanceof ComponentColorModel
                && (type == ColorSpace.TYPE_GRAY || cm.getColorSpace().isCS_sRGB())
                && image.getRaster().getTransferType() != DataBuffer.TYPE_FLOAT
                && image.getRaster().getTransferType() != DataBuffer.TYPE_DOUBLE;
        if (!plainComponents) {
            image.getRGB(0, 0, w, h, argb, 0, w);
            return new ArgbImage(w, h, argb);
        }
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        int colours = cm.getNumColorComponents();
        boolean alpha = cm.hasAlpha();
        int[] bits = cm.getComponentSize();
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int base = x * bands;
                int r, g, b;
                if (colours == 1) {
                    r = g = b = to8(row[base], bits[0]);
                } else {
                    r = to8(row[base], bits[0]);
                    g = to8(row[base + 1], bits[1]);
                    b = to8(row[base + 2], bits[2]);
                }
                int a = alpha ? to8(row[base + colours], bits[colours]) : 255;
                argb[y * w + x] = a << 24 | r << 16 | g << 8 | b;
            }
        }
        return new ArgbImage(w, h, argb);
    }

    private static int to8(int sample, int bits) {
        if (bits == 8) return sample;
        long max = (1L << bits) - 1;
        return (int) ((sample * 255L + max / 2) / max);
    }

    private static String megapixels(long pixels) {
        return String.format(Locale.ROOT, "%.1f", pixels / 1e6);
    }

}
