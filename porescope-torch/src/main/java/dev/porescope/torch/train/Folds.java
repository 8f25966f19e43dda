package dev.porescope.torch.train;

import dev.porescope.core.data.LabelledImage;

import java.util.ArrayList;
import java.util.List;

/**
 * K spatial folds of labelled photos for cross-validation. Every photo is cut into K horizontal
 * bands holding equal shares of its ROI pixels (on a face: glabella and forehead on top, nose and
 * upper cheek in the middle, lower cheek at the bottom), and fold j tests on band j of every photo.
 * It trains on the rest of each photo minus a gap of {@code gap} rows on either side of the test
 * band, cut out as separate pieces: no training patch, not even its unlabelled context, reaches a
 * test pixel, and with {@code gap} at least the network's receptive-field margin no training output
 * depends on one.
 *
 * @param test     per fold, the test bands
 * @param training per fold, the training pieces
 */
public record Folds(List<List<LabelledImage>> test, List<List<LabelledImage>> training) {

    public static Folds of(List<LabelledImage> photos, int k, int gap) {
        if (k < 2) throw new IllegalArgumentException("--folds must be at least 2, got " + k);
        if (gap < 0) throw new IllegalArgumentException("fold gap must be >= 0, got " + gap);
        if (photos.isEmpty()) throw new IllegalArgumentException("cross-validation needs labelled photos (--data)");
        List<List<LabelledImage>> test = new ArrayList<>();
        List<List<LabelledImage>> training = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            test.add(new ArrayList<>());
            training.add(new ArrayList<>());
        }
        for (LabelledImage p : photos) {
            int h = p.luma().height();
            int[] cut = bands(p, k);
            for (int j = 0; j < k; j++) {
                if (cut[j + 1] - cut[j] < 1) {
                    throw new IllegalArgumentException(p.name() + ": too few rows with a region of interest for "
                            + k + " folds; use fewer --folds");
                }
                test.get(j).add(rows(p, "-fold" + (j + 1), cut[j], cut[j + 1]));
                int above = cut[j] - gap;
                int below = cut[j + 1] + gap;
                if (above > 0) training.get(j).add(rows(p, "-above-fold" + (j + 1), 0, above));
                if (below < h) training.get(j).add(rows(p, "-below-fold" + (j + 1), below, h));
            }
        }
        for (int j = 0; j < k; j++) {
            if (training.get(j).isEmpty()) {
                throw new IllegalArgumentException("fold " + (j + 1) + " leaves nothing to train on after the " + gap
                        + " px gap; use fewer --folds or bigger photos");
            }
        }
        return new Folds(List.copyOf(test), List.copyOf(training));
    }

    public int count() { return test.size(); }

    /** Row boundaries {@code 0 = c0 < c1 < ... < ck = h} with equal ROI pixel counts between them. */
    static int[] bands(LabelledImage p, int k) {
        int w = p.luma().width();
        int h = p.luma().height();
        boolean[] roi = p.roi().bits();
        long[] cumulative = new long[h + 1];
        for (int y = 0; y < h; y++) {
            long n = 0;
            for (int x = 0; x < w; x++) if (roi[y * w + x]) n++;
            cumulative[y + 1] = cumulative[y] + n;
        }
        long total = cumulative[h];
        int[] cut = new int[k + 1];
        cut[k] = h;
        int y = 0;
        for (int j = 1; j < k; j++) {
            while (y < h && cumulative[y] * k < total * j) y++;
            cut[j] = y;
        }
        return cut;
    }

    /** Rows {@code [y0, y1)} of a photo, its label and ROI, named with {@code suffix}. */
    static LabelledImage rows(LabelledImage p, String suffix, int y0, int y1) {
        int w = p.luma().width();
        return new LabelledImage(p.name() + suffix, p.luma().crop(0, y0, w, y1 - y0), p.label().crop(0, y0, w, y1 - y0),
                p.roi().crop(0, y0, w, y1 - y0));
    }
}
