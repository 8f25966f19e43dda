package dev.porescope.core.image;

import java.util.Arrays;

/**
 * A single-channel float image (row-major), the one image type every stage works on:
 * luma photos, preprocessed input and pore probability maps.
 */
public final class Plane {
    private final int width;
    private final int height;
    private final float[] values;

    public Plane(int width, int height) {
        this(width, height, new float[checkedSize(width, height)]);
    }

    /** Wraps {@code values} without copying; its length must be {@code width * height}. */
    public Plane(int width, int height, float[] values) {
        if (values.length != checkedSize(width, height)) {
            throw new IllegalArgumentException("plane of " + width + "x" + height + " needs "
                    + ((long) width * height) + " values, got " + values.length);
        }
        this.width = width;
        this.height = height;
        this.values = values;
    }

    private static int checkedSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        long size = (long) width * height;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image of " + width + "x" + height + " is too large");
        }
        return (int) size;
    }

    public int width() { return width; }
    public int height() { return height; }
    /** The backing array, row-major; changes are visible in the plane. */
    public float[] values() { return values; }
    public float get(int x, int y) { return values[y * width + x]; }
    public void set(int x, int y, float value) { values[y * width + x] = value; }

    public Plane copy() { return new Plane(width, height, values.clone()); }

    /** A copy of the rectangle at (x, y); parts outside the plane are an error. */
    public Plane crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x + "+" + y
                    + " lies outside the " + width + "x" + height + " plane");
        }
        Plane out = new Plane(w, h);
        for (int row = 0; row < h; row++) {
            System.arraycopy(values, (y + row) * width + x, out.values, row * w, w);
        }
        return out;
    }

    public boolean sameSize(int w, int h) { return width == w && height == h; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Plane p && p.width == width && p.height == height && Arrays.equals(p.values, values);
    }

    @Override
    public int hashCode() { return 31 * (31 * width + height) + Arrays.hashCode(values); }

    @Override
    public String toString() { return "Plane[" + width + "x" + height + "]"; }
}
