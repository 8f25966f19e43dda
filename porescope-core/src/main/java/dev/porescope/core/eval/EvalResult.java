package dev.porescope.core.eval;

import dev.porescope.core.metrics.PixelMetrics;
import dev.porescope.core.metrics.PoreMetrics;

import java.util.List;

/**
 * Scores of a model on labelled photos, pooled over all photos and per photo.
 *
 * @param model     model name (from its card)
 * @param runtime   model runtime (from its card)
 * @param threshold decision threshold used
 * @param minArea   smallest pore kept, px
 * @param images    number of photos
 * @param pixel     pixel metrics pooled over all photos (inside their ROIs)
 * @param pores     pore metrics pooled over all photos
 * @param perImage  one row per photo, in input order
 */
public record EvalResult(String model, String runtime, double threshold, int minArea, int images,
                         PixelMetrics pixel, PoreMetrics pores, List<ImageScore> perImage) {

    /**
     * @param name            photo name
     * @param pixel           pixel metrics of this photo
     * @param pores           pore metrics of this photo
     * @param predictedPores  pores found in the ROI
     * @param labelledPores   labelled pores in the ROI (8-connected components)
     */
    public record ImageScore(String name, PixelMetrics pixel, PoreMetrics pores, int predictedPores, int labelledPores) { }
}
