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
 * <p>{@link #of(List, int, int, int)} trains each fold on only N of the other bands, for a learning
 * curve: the N bands nearest the test band (by band index; between two at the same distance the one
 * above first), so they form one run of rows on either side of it, and the gap is cut from the band
 * next to the test band as before. Bands not chosen give no pixel, not even patch context. N = 0
 * leaves every training list empty: the fold only scores a given model.
 *
 * @param test     per fold, the test bands
 * @param training per fold, the training pieces
 */
public record Folds(List<List<LabelledImage>> test, List<List<LabelledImage>> training) {

    public static Folds of(List<LabelledImage> photos, int k, int gap) {
        return of(photos, k, gap, k - 1);
    }

    /**
     * @param trainFolds how many bands each fold trains on, 0 to k - 1 (k - 1: all the others)
     */
    public static Folds of(List<LabelledImage> photos, int k, int gap, int trainFolds) {
        if (k < 2) throw new IllegalArgumentException("--folds must be at least 2, got " + k);
        if (trainFolds < 0 || trainFolds > k - 1) {
            throw new IllegalArgumentException("--train-folds must be 0 to " + (k - 1) + " with --folds " + k + ", got " + trainFolds);
        }
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
                int[] range = nearest(j, k, trainFolds);
                int top = cut[range[0]];
                int bottom = cut[range[1] + 1];
                int above = cut[j] - gap;
                int below = cut[j + 1] + gap;
                if (above > top) training.get(j).add(rows(p, "-above-fold" + (j + 1), top, above));
                if (below < bottom) training.get(j).add(rows(p, "-below-fold" + (j + 1), below, bottom));
            }
        }
        for (int j = 0; j < k && trainFolds > 0; j++) {
            if (training.get(j).isEmpty()) {
                throw new IllegalArgumentException("fold " + (j + 1) + " leaves nothing to train on after the " + gap
                        + " px gap; use fewer --folds or bigger photos");
            }
        }
        return new Folds(List.copyOf(test), List.copyOf(training));
    }

    public int count() { return test.size(); }

    /**
     * The bands fold {@code j} (0-based) trains on with {@code n} training bands: the first and last
     * band index of the run of {@code n} bands nearest {@code j}, {@code j} itself inside the run;
     * {@code {j, j}} when {@code n} is 0.
     */
    static int[] nearest(int j, int k, int n) {
        int lo = j;
        int hi = j;
        for (int taken = 0; taken < n; taken++) {
            boolean up = lo > 0 && (hi == k - 1 || j - (lo - 1) <= (hi + 1) - j);
            if (up) lo--; else hi++;
        }
        return new int[]{lo, hi};
    }

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
