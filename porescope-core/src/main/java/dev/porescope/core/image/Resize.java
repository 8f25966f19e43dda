package dev.porescope.core.image;

import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Resizing with pixel centres aligned (pixel i covers [i, i+1) and its centre is i + 0.5, the
 * convention of OpenCV's INTER_LINEAR / INTER_NEAREST without antialiasing).
 */
public final class Resize {
    private Resize() { }

    /** Bilinear resampling; edges clamp. For strong downscaling blur first (no antialiasing here). */
    public static Plane bilinear(Plane src, int width, int height) {
        int sw = src.width();
        int sh = src.height();
        if (src.sameSize(width, height)) return src.copy();
        double sx = (double) sw / width;
        double sy = (double) sh / height;
        return bilinear(src, width, height, x -> (x + 0.5) * sx - 0.5, y -> (y + 0.5) * sy - 0.5);
    }

    /**
     * Bilinear resampling where target column {@code x} (row {@code y}) reads the source at
     * {@code sourceX.applyAsDouble(x)} ({@code sourceY.applyAsDouble(y)}), in source pixel units with
     * pixel centres at integers; coordinates clamp to the source.
     */
    public static Plane bilinear(Plane src, int width, int height, IntToDoubleFunction sourceX, IntToDoubleFunction sourceY) {
        return bilinear(src, new Plane(width, height), sourceX, sourceY);
    }

    /** As {@link #bilinear(Plane, int, int, IntToDoubleFunction, IntToDoubleFunction)}, into {@code out} (not {@code src}). */
    public static Plane bilinear(Plane src, Plane out, IntToDoubleFunction sourceX, IntToDoubleFunction sourceY) {
        if (out == src) throw new IllegalArgumentException("bilinear resampling cannot write into its own source");
        int sw = src.width();
        int sh = src.height();
        int width = out.width();
        int height = out.height();
        float[] in = src.values();
        float[] o = out.values();
        int[] x0 = new int[width];
        int[] x1 = new int[width];
        float[] fx = new float[width];
        for (int x = 0; x < width; x++) {
            double p = Math.max(0, Math.min(sw - 1, sourceX.applyAsDouble(x)));
            x0[x] = (int) p;
            x1[x] = Math.min(sw - 1, x0[x] + 1);
            fx[x] = (float) (p - x0[x]);
        }
        // rows on every core: each output pixel is computed as on one thread
        IntStream.range(0, height).parallel().forEach(y -> {
            double p = Math.max(0, Math.min(sh - 1, sourceY.applyAsDouble(y)));
            int y0 = (int) p;
            int y1 = Math.min(sh - 1, y0 + 1);
            float fy = (float) (p - y0);
            int r0 = y0 * sw;
            int r1 = y1 * sw;
            int row = y * width;
            for (int x = 0; x < width; x++) {
                float top = in[r0 + x0[x]] + fx[x] * (in[r0 + x1[x]] - in[r0 + x0[x]]);
                float bottom = in[r1 + x0[x]] + fx[x] * (in[r1 + x1[x]] - in[r1 + x0[x]]);
                o[row + x] = top + fy * (bottom - top);
            }
        });
        return out;
    }

    /** Nearest-neighbour resampling of a mask (the source pixel whose area holds the target centre). */
    public static Mask nearest(Mask src, int width, int height) {
        int sw = src.width();
        int sh = src.height();
        boolean[] in = src.bits();
        Mask out = new Mask(width, height);
        boolean[] o = out.bits();
        int[] xs = new int[width];
        for (int x = 0; x < width; x++) {
            xs[x] = Math.min(sw - 1, (int) Math.floor((x + 0.5) * sw / width));
        }
        for (int y = 0; y < height; y++) {
            int sy = Math.min(sh - 1, (int) Math.floor((y + 0.5) * sh / height));
            int srow = sy * sw;
            int row = y * width;
            for (int x = 0; x < width; x++) o[row + x] = in[srow + xs[x]];
        }
        return out;
    }

    /** Mean over {@code factor x factor} blocks (the last partial block averages what it has). */
    public static Plane area(Plane src, int factor) {
        if (factor < 1) throw new IllegalArgumentException("area factor must be >= 1, got " + factor);
        if (factor == 1) return src.copy();
        return area(src, 0, factor);
    }

    /**
     * {@link #area(Plane, int)} of {@code src} mirror-padded by {@code pad} pixels on every side
     * ({@link Mirror#index}), without making the padded copy.
     */
    public static Plane area(Plane src, int pad, int factor) {
        if (factor < 1) throw new IllegalArgumentException("area factor must be >= 1, got " + factor);
        int w = src.width();
        int h = src.height();
        int pw = w + 2 * pad;
        int ph = h + 2 * pad;
        int[] cols = new int[pw];
        for (int x = 0; x < pw; x++) cols[x] = Mirror.index(x - pad, w);
        float[] in = src.values();
        int sw = (pw + factor - 1) / factor;
        int sh = (ph + factor - 1) / factor;
        Plane out = new Plane(sw, sh);
        float[] o = out.values();
        // block rows on every core, each summed in the same order as on one thread
        IntStream.range(0, sh).parallel().forEach(by -> {
            double[] sum = new double[sw];
            int[] cnt = new int[sw];
            int yEnd = Math.min(ph, (by + 1) * factor);
            for (int y = by * factor; y < yEnd; y++) {
                int row = Mirror.index(y - pad, h) * w;
                for (int x = 0; x < pw; x++) {
                    sum[x / factor] += in[row + cols[x]];
                    cnt[x / factor]++;
                }
            }
            for (int bx = 0; bx < sw; bx++) o[by * sw + bx] = (float) (sum[bx] / cnt[bx]);
        });
        return out;
    }
}
