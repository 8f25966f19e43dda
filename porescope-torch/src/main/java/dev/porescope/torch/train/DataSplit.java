package dev.porescope.torch.train;

import dev.porescope.core.data.LabelledImage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Holds out part of the labelled data for validation. With enough photos, a seeded random
 * {@code fraction} of the photos (at least one) is held out whole. With too few photos for that
 * (e.g. one big labelled photo), a bottom band of every photo holding {@code fraction} of its ROI
 * pixels (where labels count) is held out and the top part is trained on, so training and
 * validation pixels never overlap.
 *
 * @param training   photos (or top parts) to train on
 * @param validation photos (or bottom bands) to validate on; empty when {@code fraction} is 0
 */
public record DataSplit(List<LabelledImage> training, List<LabelledImage> validation) {

    public static DataSplit of(List<LabelledImage> photos, double fraction, long seed) {
        if (fraction < 0 || fraction >= 1) {
            throw new IllegalArgumentException("--val-split must be in [0, 1), got " + fraction);
        }
        if (fraction == 0 || photos.isEmpty()) {
            return new DataSplit(List.copyOf(photos), List.of());
        }
        int heldOut = (int) Math.round(fraction * photos.size());
        if (heldOut >= 1 && heldOut < photos.size()) {
            List<LabelledImage> shuffled = new ArrayList<>(photos);
            Collections.shuffle(shuffled, new Random(seed));
            return new DataSplit(List.copyOf(shuffled.subList(heldOut, shuffled.size())),
                    List.copyOf(shuffled.subList(0, heldOut)));
        }
        List<LabelledImage> top = new ArrayList<>();
        List<LabelledImage> bottom = new ArrayList<>();
        for (LabelledImage p : photos) {
            int w = p.luma().width();
            int h = p.luma().height();
            int band = h - bandStart(p, fraction);
            if (band < 1 || band >= h) {
                throw new IllegalArgumentException(p.name() + ": " + w + "x" + h + " is too small to hold out a band of "
                        + fraction + " of its height for validation; give more photos or a --val-split between "
                        + (1.0 / h) + " and " + (1 - 1.0 / h));
            }
            top.add(Folds.rows(p, "-top", 0, h - band));
            bottom.add(Folds.rows(p, "-bottom", h - band, h));
        }
        return new DataSplit(top, bottom);
    }

    /** First row of the bottom band that holds {@code fraction} of the photo's ROI pixels. */
    static int bandStart(LabelledImage p, double fraction) {
        int w = p.luma().width();
        int h = p.luma().height();
        boolean[] roi = p.roi().bits();
        long[] rowCounts = new long[h];
        long total = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (roi[y * w + x]) rowCounts[y]++;
            }
            total += rowCounts[y];
        }
        long below = 0;
        for (int y = h - 1; y > 0; y--) {
            below += rowCounts[y];
            if (below >= fraction * total) {
                return y;
            }
        }
        return 0;
    }
}
