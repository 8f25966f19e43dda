package dev.porescope.core.pores;

import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a pore probability map into pores: threshold inside the ROI, 8-connected components, size
 * filters, the hair filter, then ImageJ-style measurements of each kept pore.
 *
 * <p>Hairs are not pores: a component at least {@link #HAIR_MIN_FERET} px long, at most
 * {@link #HAIR_MAX_WIDTH} px thick on average ({@code area / Feret}) and whose elongation
 * {@code Feret^2 / area} exceeds {@code maxElongation} is a thin line (a brow hair, a lash, stubble,
 * a stray hair) and is dropped. For a line of length L and thickness t the elongation is about L / t;
 * for a round pore it is 4 / pi = 1.27, for an elliptic pore three times as long as wide 3.8. The
 * thickness test keeps chains of touching pores, which are long but as thick as a pore.
 *
 * @param threshold     a pixel is pore where {@code probability >= threshold}
 * @param minArea       smallest pore kept, px (inclusive)
 * @param maxArea       largest pore kept, px (inclusive)
 * @param maxElongation largest {@code Feret^2 / area} kept for components of at least
 *                      {@link #HAIR_MIN_FERET} px; infinity = no hair filter
 */
public record PoreExtractor(double threshold, int minArea, int maxArea, double maxElongation) {
    /** Ring width around a pore for its contrast, px (chessboard distance). */
    public static final int RING = 5;
    /** Default {@code maxElongation}: a line five times as long as it is thick. */
    public static final double HAIR_ELONGATION = 5;
    /** Shorter components are never taken for hairs (their shape is a few pixels' noise). */
    public static final double HAIR_MIN_FERET = 8;
    /** Thicker components are never taken for hairs (a hair is 1-2 px thick at pore resolution, a pore 3-8 px). */
    public static final double HAIR_MAX_WIDTH = 2.5;

    public PoreExtractor {
        if (minArea < 1 || maxArea < minArea) {
            throw new IllegalArgumentException("pore size limits must satisfy 1 <= minArea <= maxArea, got "
                    + minArea + ".." + maxArea);
        }
        if (!(maxElongation >= 1)) {
            throw new IllegalArgumentException("the largest pore elongation must be >= 1, got " + maxElongation);
        }
    }

    /** The default hair filter ({@link #HAIR_ELONGATION}). */
    public PoreExtractor(double threshold, int minArea, int maxArea) {
        this(threshold, minArea, maxArea, HAIR_ELONGATION);
    }

    /** No upper size limit, the default hair filter. */
    public PoreExtractor(double threshold, int minArea) {
        this(threshold, minArea, Integer.MAX_VALUE);
    }

    /** The same extractor with another hair filter (infinity = none). */
    public PoreExtractor withMaxElongation(double newMaxElongation) {
        return new PoreExtractor(threshold, minArea, maxArea, newMaxElongation);
    }

    /**
     * @param probability pore probability per pixel
     * @param luma        the photo's luma (for contrast), same size
     * @param roi         where to look; null = everywhere
     */
    public PoreResult extract(Plane probability, Plane luma, Mask roi) {
        int w = probability.width();
        int h = probability.height();
        if (!luma.sameSize(w, h) || (roi != null && (roi.width() != w || roi.height() != h))) {
            throw new IllegalArgumentException("probability " + w + "x" + h + ", luma " + luma.width() + "x"
                    + luma.height() + (roi == null ? "" : " and ROI " + roi.width() + "x" + roi.height())
                    + " must have the same size");
        }
        float[] p = probability.values();
        boolean[] r = roi == null ? null : roi.bits();
        Mask candidates = new Mask(w, h);
        boolean[] c = candidates.bits();
        float t = (float) threshold;
        for (int i = 0; i < p.length; i++) {
            c[i] = p[i] >= t && (r == null || r[i]);
        }
        Components components = Components.of(candidates);
        int[] labels = components.labels();
        int n = components.count();
        int[] area = new int[n + 1];
        int[] first = new int[n + 1];
        int[] minX = new int[n + 1];
        int[] minY = new int[n + 1];
        int[] maxX = new int[n + 1];
        int[] maxY = new int[n + 1];
        double[] sumX = new double[n + 1];
        double[] sumY = new double[n + 1];
        double[] sumP = new double[n + 1];
        double[] sumL = new double[n + 1];
        float[] l = luma.values();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int k = labels[i];
                if (k == 0) continue;
                if (area[k] == 0) {
                    first[k] = i;
                    minX[k] = x;
                    maxX[k] = x;
                    minY[k] = y;
                }
                area[k]++;
                minX[k] = Math.min(minX[k], x);
                maxX[k] = Math.max(maxX[k], x);
                maxY[k] = y;
                sumX[k] += x;
                sumY[k] += y;
                sumP[k] += p[i];
                sumL[k] += l[i];
            }
        }
        boolean[] keep = new boolean[n + 1];
        Outline[] outlines = new Outline[n + 1];
        for (int k = 1; k <= n; k++) {
            if (area[k] < minArea || area[k] > maxArea) continue;
            outlines[k] = Outline.trace(labels, w, h, k, first[k] % w, first[k] / w);
            double feret = outlines[k].feret();
            boolean hair = feret >= HAIR_MIN_FERET && area[k] / feret <= HAIR_MAX_WIDTH && feret * feret / area[k] > maxElongation;
            keep[k] = !hair;
        }
        Mask poreMask = new Mask(w, h);
        boolean[] out = poreMask.bits();
        for (int i = 0; i < labels.length; i++) out[i] = keep[labels[i]];
        List<Pore> pores = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            if (!keep[k]) continue;
            Outline outline = outlines[k];
            double perimeter = outline.perimeter();
            double circularity = Math.min(1, 4 * Math.PI * area[k] / (perimeter * perimeter));
            double poreLuma = sumL[k] / area[k];
            double ringLuma = ringMean(l, c, w, h, labels, k, minX[k], minY[k], maxX[k], maxY[k]);
            double contrast = Double.isNaN(ringLuma) || ringLuma <= 0 ? 0 : (ringLuma - poreLuma) / ringLuma;
            pores.add(new Pore(pores.size() + 1, sumX[k] / area[k] + 0.5, sumY[k] / area[k] + 0.5, area[k],
                    perimeter, circularity, outline.feret(), sumP[k] / area[k], contrast,
                    minX[k], minY[k], maxX[k] - minX[k] + 1, maxY[k] - minY[k] + 1));
        }
        return new PoreResult(poreMask, pores);
    }

    /** Mean luma of pixels within RING px (chessboard) of pore k that belong to no thresholded region. */
    private static double ringMean(float[] luma, boolean[] candidates, int w, int h, int[] labels, int k,
                                   int minX, int minY, int maxX, int maxY) {
        int x0 = Math.max(0, minX - RING);
        int y0 = Math.max(0, minY - RING);
        int x1 = Math.min(w - 1, maxX + RING);
        int y1 = Math.min(h - 1, maxY + RING);
        int bw = x1 - x0 + 1;
        int bh = y1 - y0 + 1;
        // separable dilation of the pore by a (2 RING + 1)^2 square inside the local box
        boolean[] rows = new boolean[bw * bh];
        for (int y = Math.max(y0, minY); y <= Math.min(y1, maxY); y++) {
            // two sweeps: distance to the nearest pore pixel on the row, left and right
            int nearest = Integer.MIN_VALUE / 2;
            for (int x = x0; x <= x1; x++) {
                if (labels[y * w + x] == k) nearest = x;
                if (x - nearest <= RING) rows[(y - y0) * bw + (x - x0)] = true;
            }
            nearest = Integer.MAX_VALUE / 2;
            for (int x = x1; x >= x0; x--) {
                if (labels[y * w + x] == k) nearest = x;
                if (nearest - x <= RING) rows[(y - y0) * bw + (x - x0)] = true;
            }
        }
        double sum = 0;
        int count = 0;
        boolean[] down = new boolean[bh];
        for (int x = 0; x < bw; x++) {
            int nearest = Integer.MIN_VALUE / 2;
            for (int y = 0; y < bh; y++) {
                if (rows[y * bw + x]) nearest = y;
                down[y] = y - nearest <= RING;
            }
            nearest = Integer.MAX_VALUE / 2;
            for (int y = bh - 1; y >= 0; y--) {
                if (rows[y * bw + x]) nearest = y;
                if (down[y] || nearest - y <= RING) {
                    int i = (y + y0) * w + (x + x0);
                    if (!candidates[i]) {
                        sum += luma[i];
                        count++;
                    }
                }
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
