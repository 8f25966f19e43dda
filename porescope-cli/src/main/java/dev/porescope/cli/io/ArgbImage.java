package dev.porescope.cli.io;

/**
 * A decoded photo as packed ARGB pixels, row-major (the layout of Android's
 * {@code Bitmap.getPixels}), already turned upright by its EXIF orientation.
 */
public record ArgbImage(int width, int height, int[] argb) {
    public ArgbImage {
        if (width <= 0 || height <= 0 || argb.length != (long) width * height) {
            throw new IllegalArgumentException("ARGB image of " + width + "x" + height + " cannot hold " + argb.length + " pixels");
        }
    }

    public int get(int x, int y) {
        return argb[y * width + x];
    }

    public long pixels() {
        return (long) width * height;
    }
}
