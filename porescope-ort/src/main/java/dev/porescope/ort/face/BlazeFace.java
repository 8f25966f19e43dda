package dev.porescope.ort.face;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decoding of MediaPipe's short-range BlazeFace detector (128x128 input, 896 anchors, 16 numbers per
 * anchor: box centre, size, then six keypoints), as MediaPipe's face_detection_short_range graph
 * configures its SsdAnchorsCalculator, TensorsToDetectionsCalculator and NonMaxSuppressionCalculator:
 * anchors on a 16x16 grid (stride 8, 2 per cell) then an 8x8 grid (stride 16, 6 per cell), centred in
 * their cell, of unit size; raw values divided by 128 and added to the anchor centre; scores
 * clipped to +-100 and passed through a sigmoid; weighted non-maximum suppression at IoU 0.3.
 * Coordinates are fractions of the input window.
 */
final class BlazeFace {
    static final int INPUT = 128;
    static final int ANCHORS = 896;
    static final int COORDS = 16;
    static final int KEYPOINTS = 6;
    static final double MIN_SCORE = 0.5;
    static final double NMS_IOU = 0.3;

    private BlazeFace() { }

    /**
     * One detection, fractions of the input window.
     *
     * @param keypoints x0, y0, ..., x5, y5: the two eyes, nose tip, mouth centre, two ear tragions
     */
    record Detection(double score, double xMin, double yMin, double xMax, double yMax, double[] keypoints) {
        double area() { return Math.max(0, xMax - xMin) * Math.max(0, yMax - yMin); }
    }

    /** Anchor centres x0, y0, x1, y1, ... in the order of the model's outputs. */
    static double[] anchors() {
        double[] a = new double[2 * ANCHORS];
        int i = 0;
        int[][] layers = {{8, 2}, {16, 6}};
        for (int[] layer : layers) {
            int grid = INPUT / layer[0];
            for (int y = 0; y < grid; y++) {
                for (int x = 0; x < grid; x++) {
                    for (int k = 0; k < layer[1]; k++) {
                        a[i++] = (x + 0.5) / grid;
                        a[i++] = (y + 0.5) / grid;
                    }
                }
            }
        }
        return a;
    }

    /** Detections scoring at least {@code minScore}, before suppression. */
    static List<Detection> decode(float[] regressors, float[] scores, double[] anchors, double minScore) {
        List<Detection> out = new ArrayList<>();
        for (int i = 0; i < ANCHORS; i++) {
            double logit = Math.max(-100, Math.min(100, scores[i]));
            double score = 1 / (1 + Math.exp(-logit));
            if (score < minScore) continue;
            int r = i * COORDS;
            double ax = anchors[2 * i], ay = anchors[2 * i + 1];
            double cx = regressors[r] / (double) INPUT + ax;
            double cy = regressors[r + 1] / (double) INPUT + ay;
            double w = regressors[r + 2] / (double) INPUT;
            double h = regressors[r + 3] / (double) INPUT;
            double[] k = new double[2 * KEYPOINTS];
            for (int j = 0; j < KEYPOINTS; j++) {
                k[2 * j] = regressors[r + 4 + 2 * j] / (double) INPUT + ax;
                k[2 * j + 1] = regressors[r + 5 + 2 * j] / (double) INPUT + ay;
            }
            out.add(new Detection(score, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, k));
        }
        return out;
    }

    static double iou(Detection a, Detection b) {
        double ix = Math.min(a.xMax(), b.xMax()) - Math.max(a.xMin(), b.xMin());
        double iy = Math.min(a.yMax(), b.yMax()) - Math.max(a.yMin(), b.yMin());
        if (ix <= 0 || iy <= 0) return 0;
        double inter = ix * iy;
        double union = a.area() + b.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /**
     * MediaPipe's weighted non-maximum suppression: the best remaining detection takes every remaining
     * one overlapping it by more than {@code iouThreshold} (itself included), and becomes their
     * score-weighted mean box and keypoints, keeping its own score.
     */
    static List<Detection> weightedNms(List<Detection> detections, double iouThreshold) {
        List<Detection> remaining = new ArrayList<>(detections);
        remaining.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> out = new ArrayList<>();
        while (!remaining.isEmpty()) {
            Detection best = remaining.get(0);
            List<Detection> group = new ArrayList<>();
            List<Detection> rest = new ArrayList<>();
            for (Detection d : remaining) {
                (iou(best, d) > iouThreshold || d == best ? group : rest).add(d);
            }
            double total = 0, x0 = 0, y0 = 0, x1 = 0, y1 = 0;
            double[] k = new double[best.keypoints().length];
            for (Detection d : group) {
                double s = d.score();
                total += s;
                x0 += s * d.xMin();
                y0 += s * d.yMin();
                x1 += s * d.xMax();
                y1 += s * d.yMax();
                for (int j = 0; j < k.length; j++) k[j] += s * d.keypoints()[j];
            }
            for (int j = 0; j < k.length; j++) k[j] /= total;
            out.add(new Detection(best.score(), x0 / total, y0 / total, x1 / total, y1 / total, k));
            remaining = rest;
        }
        return out;
    }
}
