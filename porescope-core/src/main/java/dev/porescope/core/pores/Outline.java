package dev.porescope.core.pores;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The outer outline of an 8-connected region as a polygon on pixel corners, traced as ImageJ's
 * wand traces a particle, with ImageJ's perimeter and Feret diameter.
 */
public final class Outline {
    private final int[] xs;
    private final int[] ys;

    private Outline(int[] xs, int[] ys) {
        this.xs = xs;
        this.ys = ys;
    }

    /** Polygon vertices (pixel corners where the outline turns), in tracing order. */
    public int[] xs() { return xs.clone(); }
    public int[] ys() { return ys.clone(); }

    /**
     * Traces the outer boundary of the region {@code labels[i] == label} that contains the pixel
     * {@code (startX, startY)}, which must be the region's first pixel in raster order.
     * Diagonal neighbours count as connected (the outline passes through their shared corner).
     */
    public static Outline trace(int[] labels, int width, int height, int label, int startX, int startY) {
        // directions: 0 east, 1 south, 2 west, 3 north (y grows downwards); the region is on the right
        final int[] dx = {1, 0, -1, 0};
        final int[] dy = {0, 1, 0, -1};
        int x = startX;
        int y = startY;
        int dir = 0;
        int[] px = new int[16];
        int[] py = new int[16];
        int n = 0;
        int lastDir = -1;
        do {
            if (dir != lastDir) {
                if (n == px.length) {
                    px = Arrays.copyOf(px, n * 2);
                    py = Arrays.copyOf(py, n * 2);
                }
                px[n] = x;
                py[n] = y;
                n++;
                lastDir = dir;
            }
            x += dx[dir];
            y += dy[dir];
            // the two pixels ahead of corner (x, y): ahead-left and ahead-right of the direction
            boolean left = inside(labels, width, height, label, aheadLeftX(x, dir), aheadLeftY(y, dir));
            boolean right = inside(labels, width, height, label, aheadRightX(x, dir), aheadRightY(y, dir));
            if (left) {
                dir = (dir + 3) & 3;
            } else if (!right) {
                dir = (dir + 1) & 3;
            }
        } while (x != startX || y != startY || dir != 0);
        // the start corner is a vertex only if the closing edge turns there (it always does: west -> ... north -> east)
        return new Outline(Arrays.copyOf(px, n), Arrays.copyOf(py, n));
    }

    // pixel (i, j) has corners (i, j) .. (i+1, j+1); at corner (x, y) moving in dir:
    private static int aheadLeftX(int x, int dir) { return switch (dir) { case 0 -> x; case 1 -> x; case 2 -> x - 1; default -> x - 1; }; }
    private static int aheadLeftY(int y, int dir) { return switch (dir) { case 0 -> y - 1; case 1 -> y; case 2 -> y; default -> y - 1; }; }
    private static int aheadRightX(int x, int dir) { return switch (dir) { case 0 -> x; case 1 -> x - 1; case 2 -> x - 1; default -> x; }; }
    private static int aheadRightY(int y, int dir) { return switch (dir) { case 0 -> y; case 1 -> y; case 2 -> y - 1; default -> y - 1; }; }

    private static boolean inside(int[] labels, int w, int h, int label, int x, int y) {
        return x >= 0 && y >= 0 && x < w && y < h && labels[y * w + x] == label;
    }

    /**
     * ImageJ's perimeter of a traced particle ({@code PolygonRoi.getTracedPerimeter}): the outline's
     * horizontal plus vertical length, minus {@code 2 - sqrt 2} for each corner that is cut, where
     * runs of one-pixel steps count as diagonal lines. A single pixel gives 2.83, an n x n square
     * {@code 4n - 4 (2 - sqrt 2)}.
     */
    public double perimeter() {
        int n = xs.length;
        int sumdx = 0;
        int sumdy = 0;
        int corners = 0;
        int dx1 = xs[0] - xs[n - 1];
        int dy1 = ys[0] - ys[n - 1];
        int side1 = Math.abs(dx1) + Math.abs(dy1);
        boolean corner = false;
        for (int i = 0; i < n; i++) {
            int next = i + 1 == n ? 0 : i + 1;
            int dx2 = xs[next] - xs[i];
            int dy2 = ys[next] - ys[i];
            sumdx += Math.abs(dx1);
            sumdy += Math.abs(dy1);
            int side2 = Math.abs(dx2) + Math.abs(dy2);
            if (side1 > 1 || !corner) {
                corner = true;
                corners++;
            } else {
                corner = false;
            }
            dx1 = dx2;
            dy1 = dy2;
            side1 = side2;
        }
        return sumdx + sumdy - corners * (2.0 - Math.sqrt(2.0));
    }

    /** Length of the outline's axis-parallel edges (the crack length of the outer boundary). */
    public int crackLength() {
        int n = xs.length;
        int sum = 0;
        for (int i = 0; i < n; i++) {
            int next = (i + 1) % n;
            sum += Math.abs(xs[next] - xs[i]) + Math.abs(ys[next] - ys[i]);
        }
        return sum;
    }

    /** Largest distance between two outline vertices (ImageJ's Feret diameter). */
    public double feret() {
        List<long[]> hull = convexHull();
        long best = 0;
        for (int i = 0; i < hull.size(); i++) {
            for (int j = i + 1; j < hull.size(); j++) {
                long ddx = hull.get(i)[0] - hull.get(j)[0];
                long ddy = hull.get(i)[1] - hull.get(j)[1];
                best = Math.max(best, ddx * ddx + ddy * ddy);
            }
        }
        return Math.sqrt(best);
    }

    /** Andrew's monotone chain over the vertices. */
    private List<long[]> convexHull() {
        int n = xs.length;
        long[][] pts = new long[n][];
        for (int i = 0; i < n; i++) pts[i] = new long[]{xs[i], ys[i]};
        Arrays.sort(pts, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        long[][] hull = new long[2 * n][];
        int k = 0;
        for (int i = 0; i < n; i++) {
            while (k >= 2 && cross(hull[k - 2], hull[k - 1], pts[i]) <= 0) k--;
            hull[k++] = pts[i];
        }
        for (int i = n - 2, t = k + 1; i >= 0; i--) {
            while (k >= t && cross(hull[k - 2], hull[k - 1], pts[i]) <= 0) k--;
            hull[k++] = pts[i];
        }
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < Math.max(1, k - 1); i++) out.add(hull[i]);
        return out;
    }

    private static long cross(long[] o, long[] a, long[] b) {
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    }
}
