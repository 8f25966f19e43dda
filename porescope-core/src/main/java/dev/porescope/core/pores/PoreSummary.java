package dev.porescope.core.pores;

import dev.porescope.core.image.Mask;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pores of one photo in numbers. Areas are in px^2, or in um^2 when a pixel size is given.
 *
 * @param count            number of pores
 * @param roiPixels        pixels in the region of interest
 * @param per100x100       pores per 100 x 100 px of ROI
 * @param perCm2           pores per cm^2 of ROI; null without a pixel size
 * @param pixelSizeUm      pixel size in micrometres; null when not given
 * @param areaUnit         "px^2" or "um^2"
 * @param meanArea         mean pore area (0 without pores)
 * @param medianArea       median pore area (0 without pores)
 * @param poreFraction     pore pixels / ROI pixels
 * @param areaHistogram    pore counts per area bin (bins are fixed in px^2, reported in {@code areaUnit})
 */
public record PoreSummary(int count, long roiPixels, double per100x100, Double perCm2, Double pixelSizeUm,
                          String areaUnit, double meanArea, double medianArea, double poreFraction,
                          List<Bin> areaHistogram) {

    /** Bin lower edges in px^2; the last bin is open-ended. */
    static final int[] BIN_EDGES_PX = {1, 5, 10, 20, 40, 80, 160, 320, 640};

    /**
     * One histogram bin: pores with {@code from <= area < to}.
     *
     * @param to upper edge; null for the open last bin
     */
    public record Bin(double from, Double to, int count) { }

    /** Summary in pixels. */
    public static PoreSummary of(List<Pore> pores, Mask roi) {
        return of(pores, roi, null);
    }

    /**
     * @param pores       the pores (inside {@code roi})
     * @param roi         region the pores were searched in
     * @param pixelSizeUm pixel side in micrometres, or null
     */
    public static PoreSummary of(List<Pore> pores, Mask roi, Double pixelSizeUm) {
        if (pixelSizeUm != null && !(pixelSizeUm > 0)) {
            throw new IllegalArgumentException("pixel size must be > 0 um, got " + pixelSizeUm);
        }
        long roiPixels = roi.count();
        double unit = pixelSizeUm == null ? 1 : pixelSizeUm * pixelSizeUm;
        int n = pores.size();
        double[] areas = new double[n];
        long porePixels = 0;
        for (int i = 0; i < n; i++) {
            areas[i] = pores.get(i).area();
            porePixels += pores.get(i).area();
        }
        Arrays.sort(areas);
        double mean = n == 0 ? 0 : Arrays.stream(areas).sum() / n;
        double median = n == 0 ? 0 : (n % 2 == 1 ? areas[n / 2] : (areas[n / 2 - 1] + areas[n / 2]) / 2);
        List<Bin> bins = new ArrayList<>();
        for (int b = 0; b < BIN_EDGES_PX.length; b++) {
            int from = BIN_EDGES_PX[b];
            Integer to = b + 1 < BIN_EDGES_PX.length ? BIN_EDGES_PX[b + 1] : null;
            int count = 0;
            for (double a : areas) {
                if (a >= from && (to == null || a < to)) count++;
            }
            bins.add(new Bin(from * unit, to == null ? null : to * unit, count));
        }
        double per100 = roiPixels == 0 ? 0 : n * 10_000.0 / roiPixels;
        Double perCm2 = null;
        if (pixelSizeUm != null) {
            double cm = pixelSizeUm * 1e-4;
            perCm2 = roiPixels == 0 ? 0 : n / (roiPixels * cm * cm);
        }
        return new PoreSummary(n, roiPixels, per100, perCm2, pixelSizeUm, pixelSizeUm == null ? "px^2" : "um^2",
                mean * unit, median * unit, roiPixels == 0 ? 0 : (double) porePixels / roiPixels, List.copyOf(bins));
    }
}
