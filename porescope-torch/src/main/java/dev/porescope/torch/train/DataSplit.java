package dev.porescope.torch.train;

import dev.porescope.core.data.LabelledImage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Holds out part of the labelled data for validation. With enough photos, a seeded random
 * {@code fraction} of the photos (at least one) is held out whole. With too few photos for that
 * (e.g. one big labelled photo), the bottom {@code fraction} of every photo is held out as a band
 * and the top part is trained on, so training and validation pixels never overlap.
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
            int band = (int) Math.round(fraction * h);
            if (band < 1 || band >= h) {
                throw new IllegalArgumentException(p.name() + ": " + w + "x" + h + " is too small to hold out a band of "
                        + fraction + " of its height for validation; give more photos or a --val-split between "
                        + (1.0 / h) + " and " + (1 - 1.0 / h));
            }
            top.add(crop(p, "-top", 0, h - band));
            bottom.add(crop(p, "-bottom", h - band, band));
        }
        return new DataSplit(top, bottom);
    }

    private static LabelledImage crop(LabelledImage p, String suffix, int y, int height) {
        int w = p.luma().width();
        return new LabelledImage(p.name() + suffix, p.luma().crop(0, y, w, height), p.label().crop(0, y, w, height),
                p.roi().crop(0, y, w, height));
    }
}
