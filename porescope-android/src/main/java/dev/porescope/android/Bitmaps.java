package dev.porescope.android;

import android.graphics.Bitmap;

import dev.porescope.core.image.Luma;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;

/**
 * Android {@link Bitmap}s to the planes and masks core works on. The photo's pixels go through
 * {@link Luma#fromArgb}, the same code the desktop path runs on {@code BufferedImage.getRGB}, so a phone
 * and the server see the same luma for the same pixels.
 */
public final class Bitmaps {
    /** Photos above this many pixels are refused (about 2 GB of working memory on the phone). */
    public static final long MAX_PIXELS = 64L * 1000 * 1000;

    private Bitmaps() { }

    /** The photo's luma; the Bitmap must be {@link Bitmap.Config#ARGB_8888} (see {@link #toArgb8888}). */
    public static Plane luma(Bitmap photo) {
        return Luma.fromArgb(argb(photo, "photo"), photo.getWidth(), photo.getHeight());
    }

    /**
     * A region of interest by core's one rule ({@link Mask#fromArgb}, the rule the command line applies
     * to its ROI PNGs): black is outside, any other colour inside. It must have the photo's size.
     */
    public static Mask roi(Bitmap roi, int width, int height) {
        int[] argb = argb(roi, "ROI");
        if (roi.getWidth() != width || roi.getHeight() != height) {
            throw new IllegalArgumentException("ROI is " + roi.getWidth() + "x" + roi.getHeight()
                    + " but the photo is " + width + "x" + height + "; they must have the same size");
        }
        return Mask.fromArgb(argb, width, height);
    }

    /**
     * An ARGB_8888 copy of {@code bitmap} (for RGB_565, RGBA_F16 or HARDWARE bitmaps). PoreScope does
     * not convert silently: other configs hold fewer or different colour bits than the photo file the
     * server would read, so the app decides. Decoding with
     * {@code BitmapFactory.Options.inPreferredConfig = Bitmap.Config.ARGB_8888} avoids the copy.
     */
    public static Bitmap toArgb8888(Bitmap bitmap) {
        checkUsable(bitmap, "bitmap");
        if (bitmap.getConfig() == Bitmap.Config.ARGB_8888) {
            return bitmap;
        }
        Bitmap copy = bitmap.copy(Bitmap.Config.ARGB_8888, false);
        if (copy == null) {
            throw new IllegalArgumentException("cannot convert a " + bitmap.getConfig() + " bitmap to ARGB_8888");
        }
        return copy;
    }

    /** An ARGB_8888 Bitmap of packed ARGB pixels (row-major). */
    public static Bitmap fromArgb(int[] argb, int width, int height) {
        return Bitmap.createBitmap(argb, width, height, Bitmap.Config.ARGB_8888);
    }

    /** The packed ARGB pixels of an ARGB_8888 Bitmap, after checking it is one we can read. */
    static int[] argb(Bitmap bitmap, String what) {
        checkUsable(bitmap, what);
        if (bitmap.getConfig() != Bitmap.Config.ARGB_8888) {
            throw new IllegalArgumentException(what + " must be an ARGB_8888 Bitmap, got " + bitmap.getConfig()
                    + "; decode it with BitmapFactory.Options.inPreferredConfig = ARGB_8888 (and no HARDWARE"
                    + " allocation) or convert it with Bitmaps.toArgb8888(" + what.toLowerCase(java.util.Locale.ROOT) + ")");
        }
        int w = bitmap.getWidth();
        int h = bitmap.getHeight();
        int[] pixels = new int[w * h];
        bitmap.getPixels(pixels, 0, w, 0, 0, w, h);
        return pixels;
    }

    private static void checkUsable(Bitmap bitmap, String what) {
        if (bitmap == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (bitmap.isRecycled()) {
            throw new IllegalArgumentException(what + " Bitmap was recycled; it holds no pixels any more");
        }
        int w = bitmap.getWidth();
        int h = bitmap.getHeight();
        if (w <= 0 || h <= 0) {
            throw new IllegalArgumentException(what + " Bitmap is " + w + "x" + h + "; it has no pixels to analyse");
        }
        if ((long) w * h > MAX_PIXELS) {
            throw new IllegalArgumentException(what + " Bitmap is " + w + "x" + h + ", more than " + MAX_PIXELS / 1000000
                    + " megapixels; scale it down first (Bitmap.createScaledBitmap) and scale the pixel size to match");
        }
    }
}
