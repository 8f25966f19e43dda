package dev.porescope.core.image;

import java.util.Arrays;

/** A binary image (row-major): pore masks, label masks and regions of interest. */
public final class Mask {
    private final int width;
    private final int height;
    private final boolean[] bits;

    public Mask(int width, int height) {
        this(width, height, new boolean[Math.multiplyExact(width, height)]);
    }

    /** Wraps {@code bits} without copying; its length must be {@code width * height}. */
    public Mask(int width, int height, boolean[] bits) {
        if (width <= 0 || height <= 0 || bits.length != (long) width * height) {
            throw new IllegalArgumentException("mask of " + width + "x" + height + " cannot hold " + bits.length + " values");
        }
        this.width = width;
        this.height = height;
        this.bits = bits;
    }

    /** A mask with every pixel set: the ROI used when none is given. */
    public static Mask full(int width, int height) {
        Mask m = new Mask(width, height);
        Arrays.fill(m.bits, true);
        return m;
    }

    /**
     * The one rule for reading a label mask or region of interest from image pixels, on the command
     * line and on the phone alike: a pixel is set when any of its colour samples is non-zero (black is
     * outside, anything else inside; alpha is ignored). So a grey of 100 is set: the paint program's
     * soft edge belongs to the region, as the data-folder convention "any nonzero counts" says.
     *
     * @param samples     pixel samples, {@code bands} per pixel, colour samples first (any bit depth)
     * @param offset      index of the pixel's first sample
     * @param colourBands how many of the pixel's samples are colour (1 for grey, 3 for RGB); the rest (alpha) are ignored
     */
    public static boolean isSet(int[] samples, int offset, int colourBands) {
        for (int b = 0; b < colourBands; b++) {
            if (samples[offset + b] != 0) return true;
        }
        return false;
    }

    /** A mask or ROI from packed ARGB pixels (row-major) by the rule of {@link #isSet}: set where R, G or B is non-zero. */
    public static Mask fromArgb(int[] argb, int width, int height) {
        if (argb.length != (long) width * height) {
            throw new IllegalArgumentException(argb.length + " pixels are not a " + width + "x" + height + " image");
        }
        boolean[] bits = new boolean[argb.length];
        for (int i = 0; i < argb.length; i++) {
            bits[i] = (argb[i] & 0xFFFFFF) != 0;
        }
        return new Mask(width, height, bits);
    }

    /** Pixels where {@code plane >= threshold}. */
    public static Mask threshold(Plane plane, float threshold) {
        float[] v = plane.values();
        boolean[] b = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i] >= threshold;
        }
        return new Mask(plane.width(), plane.height(), b);
    }

    public int width() { return width; }
    public int height() { return height; }
    /** The backing array, row-major; changes are visible in the mask. */
    public boolean[] bits() { return bits; }
    public boolean get(int x, int y) { return bits[y * width + x]; }
    public void set(int x, int y, boolean value) { bits[y * width + x] = value; }

    public int count() {
        int n = 0;
        for (boolean b : bits) {
            if (b) n++;
        }
        return n;
    }

    public Mask copy() { return new Mask(width, height, bits.clone()); }

    public Mask crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x + "+" + y
                    + " lies outside the " + width + "x" + height + " mask");
        }
        Mask out = new Mask(w, h);
        for (int row = 0; row < h; row++) {
            System.arraycopy(bits, (y + row) * width + x, out.bits, row * w, w);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && m.width == width && m.height == height && Arrays.equals(m.bits, bits);
    }

    @Override
    public int hashCode() { return 31 * (31 * width + height) + Arrays.hashCode(bits); }

    @Override
    public String toString() { return "Mask[" + width + "x" + height + ", " + count() + " set]"; }
}
