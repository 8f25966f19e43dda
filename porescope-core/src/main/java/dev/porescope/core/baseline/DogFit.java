package dev.porescope.core.baseline;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Plane;
import dev.porescope.core.eval.PooledScore;
import dev.porescope.core.pores.PoreExtractor;
import dev.porescope.core.preprocess.Preprocessing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Fits the DoG baseline to labelled photos: a grid search over the sigma pair, the response
 * threshold and the minimum pore area that maximises pooled pixel Dice inside the ROIs; among
 * settings within {@link #DICE_TIE} of the best Dice the one with the best pore F1 wins.
 *
 * <p>Fast: each photo is preprocessed once, responses are computed once per sigma pair, and
 * thresholds are swept over a histogram of ROI responses (labelled pore vs not). Only the best
 * few settings are then run through pore extraction for the minimum area and pore F1.
 */
public final class DogFit {
    /** Dice differences below this count as a tie, broken by pore F1. */
    public static final double DICE_TIE = 0.005;

    static final double[] SIGMA1 = {1.0, 1.5, 2.0};
    static final double[] SIGMA2 = {2.5, 3.0, 4.0, 5.0};
    static final int[] MIN_AREAS = {1, 2, 3, 4, 6, 8};
    private static final int BINS = 4096;
    private static final int FINALISTS = 3;

    private DogFit() { }

    /** One evaluated setting. */
    public record Candidate(double sigma1, double sigma2, double offset, int minArea, double dice, double poreF1) { }

    /** Fits with {@link DogModel#PREPROCESSING}; the card's validation holds the fitted dice and pore_f1. */
    public static DogModel fit(List<LabelledImage> images) {
        return fit(images, DogModel.PREPROCESSING);
    }

    public static DogModel fit(List<LabelledImage> images, Preprocessing preprocessing) {
        return fit(images, preprocessing, SIGMA1, SIGMA2);
    }

    /** Fits over the given sigma grid (pairs with {@code sigma2 >= 1.2 sigma1}). */
    public static DogModel fit(List<LabelledImage> images, Preprocessing preprocessing, double[] sigma1s, double[] sigma2s) {
        if (images.isEmpty()) throw new IllegalArgumentException("no labelled photos to fit the DoG baseline on");
        List<Plane> inputs = new ArrayList<>();
        for (LabelledImage image : images) inputs.add(preprocessing.apply(image.luma()));

        // 1. every sigma pair: best pixel Dice over thresholds, from histograms (no minimum area)
        List<Candidate> sweep = new ArrayList<>();
        for (double s1 : sigma1s) {
            for (double s2 : sigma2s) {
                if (s2 < 1.2 * s1) continue;
                sweep.add(sweepThreshold(images, responses(inputs, s1, s2), s1, s2));
            }
        }
        if (sweep.isEmpty()) throw new IllegalArgumentException("no sigma pair with sigma2 >= 1.2 sigma1 in the grid");
        sweep.sort(Comparator.comparingDouble(Candidate::dice).reversed());

        // 2. the best pairs: thresholds around the best and minimum areas, through real pore extraction
        List<Candidate> finals = new ArrayList<>();
        for (Candidate c : sweep.subList(0, Math.min(FINALISTS, sweep.size()))) {
            List<Plane> responses = responses(inputs, c.sigma1(), c.sigma2());
            double spread = spread(images, responses);
            for (double shift : new double[]{-0.1, 0, 0.1}) {
                double offset = c.offset() + shift * spread;
                for (int minArea : MIN_AREAS) {
                    finals.add(score(images, responses, c.sigma1(), c.sigma2(), offset, minArea));
                }
            }
        }
        double bestDice = finals.stream().mapToDouble(Candidate::dice).max().orElseThrow();
        Candidate best = finals.stream().filter(c -> c.dice() >= bestDice - DICE_TIE)
                .max(Comparator.comparingDouble(Candidate::poreF1)).orElseThrow();
        double slope = 0.25 * spread(images, responses(inputs, best.sigma1(), best.sigma2()));
        return new DogModel(best.sigma1(), best.sigma2(), best.offset(), slope, preprocessing, best.minArea(),
                Map.of("dice", best.dice(), "pore_f1", best.poreF1()));
    }

    private static List<Plane> responses(List<Plane> inputs, double s1, double s2) {
        List<Plane> out = new ArrayList<>();
        for (Plane p : inputs) out.add(DogModel.response(p, s1, s2));
        return out;
    }

    /** Standard deviation of the responses inside the ROIs. */
    private static double spread(List<LabelledImage> images, List<Plane> responses) {
        double sum = 0, ss = 0;
        long n = 0;
        for (int k = 0; k < images.size(); k++) {
            boolean[] roi = images.get(k).roi().bits();
            float[] r = responses.get(k).values();
            for (int i = 0; i < r.length; i++) {
                if (!roi[i]) continue;
                sum += r[i];
                ss += r[i] * (double) r[i];
                n++;
            }
        }
        if (n == 0) throw new IllegalArgumentException("the ROIs of the labelled photos are empty");
        double mean = sum / n;
        return Math.max(1e-6, Math.sqrt(Math.max(0, ss / n - mean * mean)));
    }

    private static Candidate sweepThreshold(List<LabelledImage> images, List<Plane> responses, double s1, double s2) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < images.size(); k++) {
            boolean[] roi = images.get(k).roi().bits();
            float[] r = responses.get(k).values();
            for (int i = 0; i < r.length; i++) {
                if (!roi[i]) continue;
                lo = Math.min(lo, r[i]);
                hi = Math.max(hi, r[i]);
            }
        }
        if (!(hi > lo)) throw new IllegalArgumentException("the ROIs of the labelled photos are empty or flat");
        long[] pos = new long[BINS];
        long[] neg = new long[BINS];
        double scale = BINS / (hi - (double) lo);
        long totalPos = 0;
        for (int k = 0; k < images.size(); k++) {
            boolean[] roi = images.get(k).roi().bits();
            boolean[] label = images.get(k).label().bits();
            float[] r = responses.get(k).values();
            for (int i = 0; i < r.length; i++) {
                if (!roi[i]) continue;
                int b = Math.min(BINS - 1, (int) ((r[i] - lo) * scale));
                if (label[i]) {
                    pos[b]++;
                    totalPos++;
                } else {
                    neg[b]++;
                }
            }
        }
        // threshold at the lower edge of bin b: everything in bins >= b is predicted pore
        long tp = 0, fp = 0;
        double bestDice = -1;
        int bestBin = BINS - 1;
        for (int b = BINS - 1; b >= 0; b--) {
            tp += pos[b];
            fp += neg[b];
            long fn = totalPos - tp;
            double dice = 2.0 * tp / Math.max(1, 2 * tp + fp + fn);
            if (dice > bestDice) {
                bestDice = dice;
                bestBin = b;
            }
        }
        return new Candidate(s1, s2, lo + bestBin / scale, 1, bestDice, Double.NaN);
    }

    /** Pooled pixel Dice and pore F1 of one setting, through the extractor the analyzer uses. */
    static Candidate score(List<LabelledImage> images, List<Plane> responses, double s1, double s2,
                           double offset, int minArea) {
        PooledScore score = new PooledScore();
        // response >= offset is exactly probability >= 0.5 for the logistic, up to rounding at the edge
        PoreExtractor extractor = new PoreExtractor(offset, minArea);
        for (int k = 0; k < images.size(); k++) {
            LabelledImage image = images.get(k);
            score.add(image, extractor.extract(responses.get(k), image.luma(), image.roi()).poreMask());
        }
        return new Candidate(s1, s2, offset, minArea, score.pixel().dice(), score.pores().f1());
    }
}
