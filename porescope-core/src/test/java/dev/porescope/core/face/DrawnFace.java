package dev.porescope.core.face;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A frontal face drawn by hand into packed ARGB pixels, for the zone finder: a skin-coloured oval
 * with dark brows, closed-eye lash lines, nostrils and red lips at average proportions, on a grey-blue
 * background, with a little pixel noise. Its eye centres are known exactly.
 */
final class DrawnFace {
    static final int BACKGROUND = 0xFF7090A8;
    static final int SKIN = 0xFFE0AC96;

    final int width;
    final int height;
    final int[] argb;

    DrawnFace(int width, int height) {
        this.width = width;
        this.height = height;
        this.argb = new int[width * height];
        Arrays.fill(argb, BACKGROUND);
    }

    /** Draws a face whose eyes are {@code d} px apart, midway point at (cx, cy). */
    DrawnFace face(double cx, double cy, double d) {
        return face(cx, cy, d, SKIN);
    }

    /** As {@link #face(double, double, double)} with another skin colour. */
    DrawnFace face(double cx, double cy, double d, int skin) {
        ellipse(cx, cy + 0.35 * d, 1.1 * d, 1.55 * d, skin);
        for (int side = -1; side <= 1; side += 2) {
            ellipse(cx + side * 0.47 * d, cy - 0.38 * d, 0.3 * d, 0.05 * d, 0xFF3C2D28);  // brow
            ellipse(cx + side * 0.5 * d, cy, 0.18 * d, 0.035 * d, 0xFF2A2020);         // lash line of a closed eye
            ellipse(cx + side * 0.12 * d, cy + 0.66 * d, 0.05 * d, 0.03 * d, 0xFF3A2420); // nostril
        }
        ellipse(cx, cy + 1.05 * d, 0.28 * d, 0.07 * d, 0xFFB45A5A);                     // lips
        return this;
    }

    /** Adds +-6 levels of noise to every channel (a drawing with no texture at all is not a photo). */
    DrawnFace noise(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            int r = clamp(((p >> 16) & 255) + rng.nextInt(-6, 7));
            int g = clamp(((p >> 8) & 255) + rng.nextInt(-6, 7));
            int b = clamp((p & 255) + rng.nextInt(-6, 7));
            argb[i] = 0xFF000000 | r << 16 | g << 8 | b;
        }
        return this;
    }

    private void ellipse(double cx, double cy, double rx, double ry, int colour) {
        for (int y = (int) Math.max(0, cy - ry); y <= Math.min(height - 1, cy + ry); y++) {
            for (int x = (int) Math.max(0, cx - rx); x <= Math.min(width - 1, cx + rx); x++) {
                double u = (x + 0.5 - cx) / rx;
                double v = (y + 0.5 - cy) / ry;
                if (u * u + v * v <= 1) argb[y * width + x] = colour;
            }
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
