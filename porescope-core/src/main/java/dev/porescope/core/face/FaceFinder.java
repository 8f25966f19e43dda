package dev.porescope.core.face;

import dev.porescope.core.face.FaceLandmarks.Point;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds a frontal face's eyes among the dark features of {@link SkinMask}, without a learned model:
 * eyes and brows are wide dark patches set in skin that come in left/right pairs at one height, the
 * brows a little above the eyes. The lower of two stacked pairs is the eyes; a single pair is taken
 * as the eyes. This needs both eyes (or both brows) in view: a profile or a close-up of a cheek has
 * no pair and gets no face.
 */
final class FaceFinder {
    /** A dark patch: centroid, bounding box and area in reduced px. */
    record Patch(double x, double y, int minX, int minY, int maxX, int maxY, int area) {
        int width() { return maxX - minX + 1; }
        int height() { return maxY - minY + 1; }
    }

    /** Two patches at one height: {@code right} is the subject's right (image left). */
    record Pair(Patch right, Patch left) {
        double dx() { return left.x() - right.x(); }
        double midX() { return (left.x() + right.x()) / 2; }
        double midY() { return (left.y() + right.y()) / 2; }
    }

    /**
     * What was found.
     *
     * @param eyes  the eye pair, or null
     * @param faces how many separate eye pairs (faces) were seen
     */
    record Found(Pair eyes, int faces) { }

    private FaceFinder() { }

    static Found find(SkinMask skin) {
        List<Patch> patches = patches(skin);
        List<Pair> pairs = new ArrayList<>();
        for (Patch a : patches) {
            for (Patch b : patches) {
                if (a != b && pairs(a, b)) pairs.add(new Pair(a, b));
            }
        }
        // eyes: a pair with a pair of about the same spread a little above it (the brows) wins
        List<Pair> eyes = new ArrayList<>();
        for (Pair p : pairs) {
            boolean browsAbove = false;
            boolean browsOfAnother = false;
            for (Pair q : pairs) {
                if (q == p) continue;
                double ratio = q.dx() / p.dx();
                boolean sameFace = Math.abs(q.midX() - p.midX()) < 0.25 * p.dx() && ratio > 0.7 && ratio < 1.5;
                double drop = (p.midY() - q.midY()) / p.dx();
                if (sameFace && drop > 0.15 && drop < 0.7) browsAbove = true;
                if (sameFace && drop < -0.15 && drop > -0.7) browsOfAnother = true; // p is itself a brow pair
            }
            if (browsAbove || !browsOfAnother) eyes.add(p);
        }
        if (eyes.isEmpty()) return new Found(null, 0);
        Pair best = eyes.get(0);
        for (Pair p : eyes) {
            if (score(p, pairs) > score(best, pairs)) best = p;
        }
        // other faces: eye pairs well away from the chosen one
        int faces = 1;
        List<Pair> counted = new ArrayList<>(List.of(best));
        for (Pair p : eyes) {
            boolean apart = true;
            for (Pair c : counted) {
                if (Math.hypot(p.midX() - c.midX(), p.midY() - c.midY()) < 1.2 * Math.max(p.dx(), c.dx())) apart = false;
            }
            if (apart && score(p, pairs) >= 1) {
                counted.add(p);
                faces++;
            }
        }
        return new Found(best, faces);
    }

    /** Brows above count most, then width: an eye pair with its brows beats a stray pair of patches. */
    private static double score(Pair p, List<Pair> pairs) {
        double s = 0;
        for (Pair q : pairs) {
            double drop = (p.midY() - q.midY()) / p.dx();
            double ratio = q.dx() / p.dx();
            if (q != p && Math.abs(q.midX() - p.midX()) < 0.25 * p.dx() && ratio > 0.7 && ratio < 1.5
                    && drop > 0.15 && drop < 0.7) s = 1;
        }
        return s + p.dx() / 1e4;
    }

    /** Eyes or brows of one face: similar, side by side at one height, a few of their widths apart. */
    private static boolean pairs(Patch right, Patch left) {
        double dx = left.x() - right.x();
        if (dx <= 0) return false;
        double width = Math.max(right.width(), left.width());
        double areaRatio = (double) right.area() / left.area();
        double widthRatio = (double) right.width() / left.width();
        return Math.abs(left.y() - right.y()) < 0.2 * dx
                && dx > 1.1 * width && dx < 3.5 * width
                && areaRatio > 1 / 3.0 && areaRatio < 3
                && widthRatio > 0.5 && widthRatio < 2
                && left.minX() > right.maxX();
    }

    /** Wide dark patches (wider than tall) mostly surrounded by skin. */
    static List<Patch> patches(SkinMask skin) {
        int w = skin.width;
        int h = skin.height;
        int k = skin.featureCount;
        int[] area = new int[k + 1];
        double[] sx = new double[k + 1];
        double[] sy = new double[k + 1];
        int[] minX = new int[k + 1];
        int[] minY = new int[k + 1];
        int[] maxX = new int[k + 1];
        int[] maxY = new int[k + 1];
        java.util.Arrays.fill(minX, Integer.MAX_VALUE);
        java.util.Arrays.fill(minY, Integer.MAX_VALUE);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int f = skin.features[y * w + x];
                if (f == 0) continue;
                area[f]++;
                sx[f] += x + 0.5;
                sy[f] += y + 0.5;
                minX[f] = Math.min(minX[f], x);
                minY[f] = Math.min(minY[f], y);
                maxX[f] = Math.max(maxX[f], x);
                maxY[f] = Math.max(maxY[f], y);
            }
        }
        List<Patch> out = new ArrayList<>();
        for (int f = 1; f <= k; f++) {
            Patch p = new Patch(sx[f] / area[f], sy[f] / area[f], minX[f], minY[f], maxX[f], maxY[f], area[f]);
            if (p.width() < 1.3 * p.height() || p.width() > w / 2) continue;
            if (skinAround(skin, p) < 0.35) continue;
            out.add(p);
        }
        return out;
    }

    /** Share of skin in the band around a patch (its box grown by half its height and a quarter of its width). */
    private static double skinAround(SkinMask skin, Patch p) {
        int gx = Math.max(2, p.width() / 4);
        int gy = Math.max(2, p.height() / 2);
        int x0 = p.minX() - gx;
        int x1 = p.maxX() + gx;
        int y0 = p.minY() - gy;
        int y1 = p.maxY() + gy;
        int inside = 0;
        int skinCount = 0;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                boolean box = x >= p.minX() && x <= p.maxX() && y >= p.minY() && y <= p.maxY();
                if (box) continue;
                inside++;
                if (x >= 0 && y >= 0 && x < skin.width && y < skin.height && skin.skin[y * skin.width + x]) skinCount++;
            }
        }
        return inside == 0 ? 0 : (double) skinCount / inside;
    }

    /** The landmarks of a found eye pair, in photo pixels. */
    static FaceLandmarks landmarks(Pair eyes, int scale) {
        return FaceLandmarks.ofEyes(new Point(eyes.right().x() * scale, eyes.right().y() * scale),
                new Point(eyes.left().x() * scale, eyes.left().y() * scale));
    }
}
