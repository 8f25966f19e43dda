package dev.porescope.ort.face;

/**
 * A square, possibly rotated window of a photo resampled into a model's input: float NHWC RGB,
 * each pixel the mean of up to 16x16 samples so a large photo reduced to 128 px does not alias.
 * Outside the photo the value is black (the low end of the range), as MediaPipe's zero border.
 *
 * @param cx    window centre x, photo px
 * @param cy    window centre y, photo px
 * @param size  side of the window, photo px
 * @param angle rotation of the window, radians, clockwise on screen (y down): the window's x axis
 *              points along (cos angle, sin angle) in the photo
 */
record FaceCrop(double cx, double cy, double size, double angle) {

    /** The photo point of window point (u, v), both in [0, 1] across the window. */
    double[] toPhoto(double u, double v) {
        double du = (u - 0.5) * size, dv = (v - 0.5) * size;
        double c = Math.cos(angle), s = Math.sin(angle);
        return new double[]{cx + du * c - dv * s, cy + du * s + dv * c};
    }

    /** The window resampled to side x side px, values in [lo, hi] from 0..255, NHWC. */
    float[] sample(int[] argb, int width, int height, int side, float lo, float hi) {
        int k = (int) Math.max(1, Math.min(16, Math.ceil(size / side)));
        float[] out = new float[side * side * 3];
        float scale = (hi - lo) / 255f;
        double c = Math.cos(angle), s = Math.sin(angle);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double r = 0, g = 0, b = 0;
                for (int sy = 0; sy < k; sy++) {
                    double dv = ((y + (sy + 0.5) / k) / side - 0.5) * size;
                    for (int sx = 0; sx < k; sx++) {
                        double du = ((x + (sx + 0.5) / k) / side - 0.5) * size;
                        int px = (int) Math.floor(cx + du * c - dv * s);
                        int py = (int) Math.floor(cy + du * s + dv * c);
                        if (px < 0 || py < 0 || px >= width || py >= height) continue;
                        int p = argb[py * width + px];
                        r += (p >> 16) & 0xFF;
                        g += (p >> 8) & 0xFF;
                        b += p & 0xFF;
                    }
                }
                int o = (y * side + x) * 3;
                double n = (double) k * k;
                out[o] = (float) (lo + scale * r / n);
                out[o + 1] = (float) (lo + scale * g / n);
                out[o + 2] = (float) (lo + scale * b / n);
            }
        }
        return out;
    }
}
