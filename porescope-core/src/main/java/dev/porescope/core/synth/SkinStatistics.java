package dev.porescope.core.synth;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.pores.Components;

import java.util.Arrays;

/**
 * The figures that say whether pores in a photo look like real ones, measured from a luma photo
 * and a pore label inside a region of interest. The same measurement is applied to synthetic
 * photos and to real labelled ones, so that the two can be compared side by side.
 *
 * @param count                    pores: 8-connected components of (label AND roi)
 * @param poresPer100x100          pores per 100 x 100 px of ROI
 * @param medianArea               median pore area (px)
 * @param medianEquivalentDiameter median of 2 sqrt(area / pi) (px)
 * @param medianRelativeContrast   median over pores of 1 - (mean luma inside) / (mean luma of the
 *                                 {@value #RING_WIDTH} px ring around it, outside every pore)
 * @param poreFraction             pore pixels / ROI pixels
 */
public record SkinStatistics(int count, double poresPer100x100, double medianArea,
                             double medianEquivalentDiameter, double medianRelativeContrast,
                             double poreFraction) {

    /** Width (px, Euclidean distance from the pore) of the ring a pore's contrast is measured against. */
    public static final int RING_WIDTH = 5;

    /** Measures a photo's pores inside {@code roi} (pass {@link Mask#full} for the whole photo). */
    public static SkinStatistics measure(Plane luma, Mask pores, Mask roi) {
        int w = luma.width();
        int h = luma.height();
        if (pores.width() != w || pores.height() != h || roi.width() != w || roi.height() != h) {
            throw new IllegalArgumentException("luma " + w + "x" + h + ", pore mask " + pores.width() + "x" + pores.height()
                    + " and ROI " + roi.width() + "x" + roi.height() + " must have the same size");
        }
        boolean[] poreBits = pores.bits();
        boolean[] roiBits = roi.bits();
        boolean[] inside = new boolean[poreBits.length];
        int roiArea = 0;
        int porePixels = 0;
        for (int i = 0; i < inside.length; i++) {
            if (roiBits[i]) roiArea++;
            inside[i] = poreBits[i] && roiBits[i];
            if (inside[i]) porePixels++;
        }
        Components components = Components.of(new Mask(w, h, inside));
        int n = components.count();
        int[] labels = components.labels();
        int[] areas = components.areas();
        // bounding boxes and luma sums per pore
        int[] minX = new int[n + 1];
        int[] minY = new int[n + 1];
        int[] maxX = new int[n + 1];
        int[] maxY = new int[n + 1];
        double[] lumaSum = new double[n + 1];
        Arrays.fill(minX, Integer.MAX_VALUE);
        Arrays.fill(minY, Integer.MAX_VALUE);
        float[] v = luma.values();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int l = labels[y * w + x];
                if (l == 0) continue;
                minX[l] = Math.min(minX[l], x);
                minY[l] = Math.min(minY[l], y);
                maxX[l] = Math.max(maxX[l], x);
                maxY[l] = Math.max(maxY[l], y);
                lumaSum[l] += v[y * w + x];
            }
        }
        int[][] disk = diskOffsets(RING_WIDTH);
        int[] stamp = new int[w * h]; // label of the last pore whose ring claimed this pixel
        double[] contrasts = new double[n];
        int measured = 0;
        for (int l = 1; l <= n; l++) {
            double ringSum = 0;
            int ringCount = 0;
            for (int y = minY[l]; y <= maxY[l]; y++) {
                for (int x = minX[l]; x <= maxX[l]; x++) {
                    if (labels[y * w + x] != l) continue;
                    for (int[] d : disk) {
                        int xx = x + d[0];
                        int yy = y + d[1];
                        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
                        int j = yy * w + xx;
                        // outside every pore, labelled anywhere in the photo
                        if (stamp[j] == l || poreBits[j]) continue;
                        stamp[j] = l;
                        ringSum += v[j];
                        ringCount++;
                    }
                }
            }
            if (ringCount > 0 && ringSum > 0) {
                contrasts[measured++] = 1 - (lumaSum[l] / areas[l]) / (ringSum / ringCount);
            }
        }
        double[] areaValues = new double[n];
        double[] diameters = new double[n];
        for (int l = 1; l <= n; l++) {
            areaValues[l - 1] = areas[l];
            diameters[l - 1] = 2 * Math.sqrt(areas[l] / Math.PI);
        }
        return new SkinStatistics(n,
                roiArea == 0 ? 0 : n * 10_000.0 / roiArea,
                median(areaValues, n),
                median(diameters, n),
                median(contrasts, measured),
                roiArea == 0 ? 0 : porePixels / (double) roiArea);
    }

    /** Statistics of a labelled photo inside its ROI. */
    public static SkinStatistics of(LabelledImage image) {
        return measure(image.luma(), image.label(), image.roi());
    }

    /** Statistics of a synthetic photo over the whole photo. */
    public static SkinStatistics of(SyntheticPhoto photo) {
        return measure(photo.luma(), photo.pores(), Mask.full(photo.width(), photo.height()));
    }

    /** Offsets (dx, dy) with 0 < dx^2 + dy^2 <= radius^2. */
    private static int[][] diskOffsets(int radius) {
        int n = 0;
        int[][] tmp = new int[(2 * radius + 1) * (2 * radius + 1)][];
        for (int dy = -radius; dy <= radius; dy++) {
            for (int dx = -radius; dx <= radius; dx++) {
                int r2 = dx * dx + dy * dy;
                if (r2 > 0 && r2 <= radius * radius) tmp[n++] = new int[] {dx, dy};
            }
        }
        return Arrays.copyOf(tmp, n);
    }

    static double median(double[] values, int n) {
        if (n == 0) return Double.NaN;
        double[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
