package dev.porescope.core.eval;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Mask;
import dev.porescope.core.metrics.PixelMetrics;
import dev.porescope.core.metrics.PoreMetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way predicted pore masks are scored against labels: pixel and pore counts inside each
 * photo's ROI, pooled over the photos (every pixel and every pore weighs the same), with a row per
 * photo. Used by {@link Evaluator}, training's held-out validation and the DoG fit.
 */
public final class PooledScore {
    private final PixelMetrics pixel = new PixelMetrics();
    private final PoreMetrics pores = new PoreMetrics();
    private final List<EvalResult.ImageScore> perImage = new ArrayList<>();

    /** Scores {@code predicted} against {@code image}'s label inside its ROI, adds it to the pool and returns its row. */
    public EvalResult.ImageScore add(LabelledImage image, Mask predicted) {
        PixelMetrics p = PixelMetrics.of(predicted, image.label(), image.roi());
        PoreMetrics q = PoreMetrics.of(predicted, image.label(), image.roi());
        pixel.add(p);
        pores.add(q);
        EvalResult.ImageScore row = new EvalResult.ImageScore(image.name(), p, q, (int) (q.tp() + q.fp()), (int) (q.tp() + q.fn()));
        perImage.add(row);
        return row;
    }

    /** Pixel counts pooled over the photos added. */
    public PixelMetrics pixel() { return pixel; }

    /** Pore counts pooled over the photos added. */
    public PoreMetrics pores() { return pores; }

    /** One row per photo, in the order added. */
    public List<EvalResult.ImageScore> perImage() { return List.copyOf(perImage); }

    /** The pooled scores by name: dice, iou, pixel_precision, pixel_recall, pore_f1, pore_precision, pore_recall. */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("dice", pixel.dice());
        m.put("iou", pixel.iou());
        m.put("pixel_precision", pixel.precision());
        m.put("pixel_recall", pixel.recall());
        m.put("pore_f1", pores.f1());
        m.put("pore_precision", pores.precision());
        m.put("pore_recall", pores.recall());
        return m;
    }
}
