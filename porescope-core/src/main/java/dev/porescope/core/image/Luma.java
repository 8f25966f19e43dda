package dev.porescope.core.image;

/**
 * Conversions between packed ARGB pixels (as Android's {@code Bitmap.getPixels} and
 * {@code BufferedImage.getRGB} give them) and luma planes.
 */
public final class Luma {
    private Luma() { }

    /** BT.601 luma {@code (0.299 R + 0.587 G + 0.114 B) / 255} in [0, 1]; alpha is ignored. */
    public static Plane fromArgb(int[] argb, int width, int height) {
        if (argb.length != (long) width * height) {
            throw new IllegalArgumentException("ARGB array of " + argb.length + " pixels does not match "
                    + width + "x" + height);
        }
        Plane out = new Plane(width, height);
        float[] v = out.values();
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            int r = (p >>> 16) & 0xFF;
            int g = (p >>> 8) & 0xFF;
            int b = p & 0xFF;
            v[i] = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
        }
        return out;
    }

    /** Opaque grey ARGB pixels from a plane, values clamped to [0, 1] and rounded to 8 bits. */
    public static int[] toArgb(Plane gray) {
        float[] v = gray.values();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            int g = Math.round(Math.max(0f, Math.min(1f, v[i])) * 255f);
            out[i] = 0xFF000000 | (g << 16) | (g << 8) | g;
        }
        return out;
    }

    /** Opaque ARGB pixels of a mask: white where set, black elsewhere. */
    public static int[] toArgb(Mask mask) {
        boolean[] b = mask.bits();
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] ? 0xFFFFFFFF : 0xFF000000;
        }
        return out;
    }
}
