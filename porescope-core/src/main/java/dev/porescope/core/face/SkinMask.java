package dev.porescope.core.face;

import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.pores.Components;
import dev.porescope.core.preprocess.Gaussian;

/**
 * Skin and dark facial features of a photo, on a reduced copy ({@link #WORK_SIDE} px on the long side).
 * Skin is decided by colour, against the photo's own skin: pixels in a broad YCbCr skin box give the
 * median chroma and its spread, and a pixel is skin when its chroma is within
 * {@link #CHROMA_SPREADS} spreads of that median and it is not much darker than the median skin.
 * Dark features are what is at least {@link #DARKER} darker than the skin around it (a Gaussian of
 * {@link #SURROUND_SIGMA} reduced px) in connected patches of a size that no pore reaches
 * ({@link #minFeatureArea}): brows, lashes, eyes, nostrils, hair strands, the lip line; and patches
 * only a little darker but much busier than skin ({@link #BUSY}: hair over skin, sparse brows,
 * stubble). They are left
 * out of the skin, and {@link FaceFinder} looks for eyes and brows among them.
 */
public final class SkinMask {
    /** Long side of the reduced copy, px. */
    public static final int WORK_SIDE = 512;
    static final double CHROMA_SPREADS = 3.5;
    /** A skin pixel is at least this fraction of the median skin luma (hair and nostrils are darker). */
    static final double MIN_RELATIVE_LUMA = 0.5;
    static final double DARKER = 0.15;
    static final double SURROUND_SIGMA = 8;
    /** Hairy patches (brows, stubble, hair over skin) need only be this much darker ... */
    static final double DARKER_WHEN_BUSY = 0.04;
    /** ... when their fine texture (mean luma step between neighbouring pixels, relative) is this many times the skin's median. */
    static final double BUSY = 2.5;
    /** The texture rule needs blocks of at least this many photo pixels a side. */
    static final int MIN_BUSY_SCALE = 3;

    final int scale;
    final int width;
    final int height;
    final boolean[] skin;
    /** Labels of the dark-feature components that are large enough ({@link #minFeatureArea}), 0 = none. */
    final int[] features;
    final int featureCount;
    /** Median skin luma (0-255) of the skin box, NaN without skin. */
    final double skinLuma;

    private SkinMask(int scale, int width, int height, boolean[] skin, int[] features, int featureCount, double skinLuma) {
        this.scale = scale;
        this.width = width;
        this.height = height;
        this.skin = skin;
        this.features = features;
        this.featureCount = featureCount;
        this.skinLuma = skinLuma;
    }

    /** The reduction factor for a photo: whole pixels, so that the long side is at most {@link #WORK_SIDE}. */
    static int scaleFor(int width, int height) {
        return Math.max(1, (Math.max(width, height) + WORK_SIDE - 1) / WORK_SIDE);
    }

    /** Smallest dark patch that counts as a feature, in reduced px (a pore never reaches it). */
    static int minFeatureArea(int width, int height) {
        return Math.max(12, width * height / 4000);
    }

    static SkinMask of(int[] argb, int photoWidth, int photoHeight) {
        if (argb.length != (long) photoWidth * photoHeight) {
            throw new IllegalArgumentException("ARGB array of " + argb.length + " pixels does not match "
                    + photoWidth + "x" + photoHeight);
        }
        int scale = scaleFor(photoWidth, photoHeight);
        // Y, Cb, Cr (0-255) averaged over scale x scale blocks, straight from the packed pixels
        int w = (photoWidth + scale - 1) / scale;
        int h = (photoHeight + scale - 1) / scale;
        int n = w * h;
        Plane luma = new Plane(w, h);
        Plane blue = new Plane(w, h);
        Plane red = new Plane(w, h);
        float[] ys = luma.values();
        float[] bs = blue.values();
        float[] rs = red.values();
        int[] counts = new int[n];
        float[] texture = new float[n];
        for (int py = 0; py < photoHeight; py++) {
            int row = (py / scale) * w;
            float previous = Float.NaN;
            for (int px = 0; px < photoWidth; px++) {
                int p = argb[py * photoWidth + px];
                float rr = (p >>> 16) & 0xFF;
                float gg = (p >>> 8) & 0xFF;
                float bb = p & 0xFF;
                int i = row + px / scale;
                float lum = 0.299f * rr + 0.587f * gg + 0.114f * bb;
                // fine texture: mean step between neighbours along the row (hair is busy, skin is smooth)
                if (px > 0) texture[i] += Math.abs(lum - previous);
                previous = lum;
                ys[i] += lum;
                bs[i] += 128 - 0.168736f * rr - 0.331264f * gg + 0.5f * bb;
                rs[i] += 128 + 0.5f * rr - 0.418688f * gg - 0.081312f * bb;
                counts[i]++;
            }
        }
        for (int i = 0; i < n; i++) {
            texture[i] /= counts[i] * Math.max(1f, ys[i] / counts[i]);
            ys[i] /= counts[i];
            bs[i] /= counts[i];
            rs[i] /= counts[i];
        }
        float[] y = luma.values();
        float[] b = blue.values();
        float[] r = red.values();

        // the photo's own skin colour: median and spread of the pixels in a broad skin box
        float[] boxY = new float[n];
        float[] boxB = new float[n];
        float[] boxR = new float[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (r[i] >= 133 && r[i] <= 180 && b[i] >= 75 && b[i] <= 130 && y[i] >= 40) {
                boxY[m] = y[i];
                boxB[m] = b[i];
                boxR[m] = r[i];
                m++;
            }
        }
        boolean[] skin = new boolean[n];
        if (m < n / 50) {
            return new SkinMask(scale, w, h, skin, new int[n], 0, Double.NaN);
        }
        double mY = median(boxY, m);
        double mB = median(boxB, m);
        double mR = median(boxR, m);
        double sB = Math.max(2, 1.4826 * mad(boxB, m, mB));
        double sR = Math.max(2, 1.4826 * mad(boxR, m, mR));

        // dark features: much darker than their surroundings, in patches larger than any pore
        Plane surround = Gaussian.blur(luma, SURROUND_SIGMA);
        Plane local = Gaussian.blur(luma, 1.5);
        float[] s = surround.values();
        float[] l = local.values();
        Mask dark = new Mask(w, h);
        boolean[] dk = dark.bits();
        float[] skinTexture = new float[m];
        int t = 0;
        for (int i = 0; i < n; i++) {
            if (r[i] >= 133 && r[i] <= 180 && b[i] >= 75 && b[i] <= 130 && y[i] >= 40) skinTexture[t++] = texture[i];
        }
        // the texture of a block says "hair" only when a block is larger than a pore (else pores are busy too)
        double busy = scale >= MIN_BUSY_SCALE ? BUSY * median(skinTexture, t) : Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            dk[i] = l[i] < (1 - DARKER) * s[i] || y[i] < MIN_RELATIVE_LUMA * mY
                    || (l[i] < (1 - DARKER_WHEN_BUSY) * s[i] && texture[i] > busy);
        }
        Components parts = Components.of(dark);
        int[] areas = parts.areas();
        int minArea = minFeatureArea(w, h);
        int[] renumber = new int[areas.length];
        int count = 0;
        for (int k = 1; k < areas.length; k++) {
            if (areas[k] >= minArea) renumber[k] = ++count;
        }
        int[] labels = parts.labels();
        int[] features = new int[n];
        for (int i = 0; i < n; i++) features[i] = renumber[labels[i]];

        for (int i = 0; i < n; i++) {
            skin[i] = Math.abs(b[i] - mB) <= CHROMA_SPREADS * sB && Math.abs(r[i] - mR) <= CHROMA_SPREADS * sR
                    && y[i] >= MIN_RELATIVE_LUMA * mY && features[i] == 0;
        }
        // a feature's rim is not skin either (hair edges, lash shadows)
        boolean[] grown = skin.clone();
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
                if (features[yy * w + xx] == 0) continue;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int ax = xx + dx;
                        int ay = yy + dy;
                        if (ax >= 0 && ay >= 0 && ax < w && ay < h) grown[ay * w + ax] = false;
                    }
                }
            }
        }
        // specks of skin colour in the background are not skin: keep patches of at least 1 % of the photo
        Mask patches = new Mask(w, h, grown);
        Components skinParts = Components.of(patches);
        int[] skinAreas = skinParts.areas();
        int[] skinLabels = skinParts.labels();
        for (int i = 0; i < n; i++) {
            skin[i] = grown[i] && skinAreas[skinLabels[i]] >= n / 100;
        }
        return new SkinMask(scale, w, h, skin, features, count, mY);
    }

    /** Skin pixels in the reduced copy. */
    int skinPixels() {
        int c = 0;
        for (boolean v : skin) if (v) c++;
        return c;
    }

    private static double median(float[] v, int n) {
        float[] c = java.util.Arrays.copyOf(v, n);
        java.util.Arrays.sort(c);
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2.0;
    }

    private static double mad(float[] v, int n, double median) {
        float[] dev = new float[n];
        for (int i = 0; i < n; i++) dev[i] = (float) Math.abs(v[i] - median);
        return median(dev, n);
    }
}
