package dev.porescope.core.metrics;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.porescope.core.image.Mask;
import dev.porescope.core.pores.Components;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pore-level detection scores, pooled over images by {@link #add}. Pores are the 8-connected
 * components of each mask inside the ROI. A predicted and a labelled pore may match when they
 * share a pixel or their centroids are at most {@link #CENTROID_DISTANCE} px apart; matches are
 * one-to-one and as many as possible (maximum bipartite matching, Hopcroft-Karp). Matched pores
 * are true positives, unmatched predictions false positives, unmatched labels false negatives.
 * Precision, recall and F1 are 1 when their denominator is 0.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"tp", "fp", "fn", "precision", "recall", "f1"})
public final class PoreMetrics {
    /** Largest centroid distance (px) at which two pores match without overlapping. */
    public static final double CENTROID_DISTANCE = 3;

    private long tp;
    private long fp;
    private long fn;

    public PoreMetrics() { }

    @JsonCreator
    public PoreMetrics(@JsonProperty("tp") long tp, @JsonProperty("fp") long fp, @JsonProperty("fn") long fn) {
        this.tp = tp;
        this.fp = fp;
        this.fn = fn;
    }

    public static PoreMetrics of(Mask predicted, Mask truth, Mask roi) {
        return new PoreMetrics().add(predicted, truth, roi);
    }

    /** Matches the pores of one image inside {@code roi} (null = everywhere); returns this. */
    public PoreMetrics add(Mask predicted, Mask truth, Mask roi) {
        PixelMetrics.checkSizes(predicted, truth, roi);
        Components p = Components.of(clip(predicted, roi));
        Components t = Components.of(clip(truth, roi));
        int[][] adjacency = candidates(p, t);
        int matched = maximumMatching(p.count(), t.count(), adjacency);
        tp += matched;
        fp += p.count() - matched;
        fn += t.count() - matched;
        return this;
    }

    public PoreMetrics add(PoreMetrics other) {
        tp += other.tp;
        fp += other.fp;
        fn += other.fn;
        return this;
    }

    private static Mask clip(Mask m, Mask roi) {
        if (roi == null) return m;
        boolean[] a = m.bits();
        boolean[] r = roi.bits();
        boolean[] out = new boolean[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] && r[i];
        return new Mask(m.width(), m.height(), out);
    }

    /** For each predicted pore (0-based), the labelled pores (0-based) it may match. */
    static int[][] candidates(Components predicted, Components truth) {
        int np = predicted.count();
        List<Set<Integer>> edges = new ArrayList<>(np);
        for (int i = 0; i < np; i++) edges.add(new HashSet<>());
        int[] pl = predicted.labels();
        int[] tl = truth.labels();
        for (int i = 0; i < pl.length; i++) {
            if (pl[i] != 0 && tl[i] != 0) edges.get(pl[i] - 1).add(tl[i] - 1);
        }
        double[][] pc = centroids(predicted);
        double[][] tc = centroids(truth);
        // grid of labelled centroids with cells of the match distance: look in the 3x3 cells around
        Map<Long, List<Integer>> grid = new HashMap<>();
        for (int j = 0; j < tc.length; j++) {
            grid.computeIfAbsent(cell(tc[j][0], tc[j][1], 0, 0), k -> new ArrayList<>()).add(j);
        }
        double d2 = CENTROID_DISTANCE * CENTROID_DISTANCE;
        for (int i = 0; i < np; i++) {
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    List<Integer> near = grid.get(cell(pc[i][0], pc[i][1], dx, dy));
                    if (near == null) continue;
                    for (int j : near) {
                        double ex = pc[i][0] - tc[j][0];
                        double ey = pc[i][1] - tc[j][1];
                        if (ex * ex + ey * ey <= d2) edges.get(i).add(j);
                    }
                }
            }
        }
        int[][] out = new int[np][];
        for (int i = 0; i < np; i++) {
            out[i] = edges.get(i).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        return out;
    }

    private static long cell(double x, double y, int dx, int dy) {
        long cx = (long) Math.floor(x / CENTROID_DISTANCE) + dx;
        long cy = (long) Math.floor(y / CENTROID_DISTANCE) + dy;
        return (cx << 32) ^ (cy & 0xFFFFFFFFL);
    }

    private static double[][] centroids(Components c) {
        double[][] out = new double[c.count()][2];
        int[] n = new int[c.count()];
        int[] labels = c.labels();
        int w = c.width();
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l == 0) continue;
            out[l - 1][0] += i % w;
            out[l - 1][1] += i / w;
            n[l - 1]++;
        }
        for (int k = 0; k < out.length; k++) {
            out[k][0] /= n[k];
            out[k][1] /= n[k];
        }
        return out;
    }

    /**
     * Size of a maximum matching of a bipartite graph (Hopcroft-Karp, O(E sqrt V)).
     *
     * @param adjacency for each left vertex, its right neighbours in [0, nRight)
     */
    public static int maximumMatching(int nLeft, int nRight, int[][] adjacency) {
        int[] matchLeft = new int[nLeft];
        int[] matchRight = new int[nRight];
        Arrays.fill(matchLeft, -1);
        Arrays.fill(matchRight, -1);
        int[] dist = new int[nLeft];
        int matching = 0;
        while (true) {
            // BFS from free left vertices, layering by alternating paths
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            for (int u = 0; u < nLeft; u++) {
                if (matchLeft[u] == -1) {
                    dist[u] = 0;
                    queue.add(u);
                } else {
                    dist[u] = Integer.MAX_VALUE;
                }
            }
            boolean found = false;
            while (!queue.isEmpty()) {
                int u = queue.poll();
                for (int v : adjacency[u]) {
                    int w = matchRight[v];
                    if (w == -1) {
                        found = true;
                    } else if (dist[w] == Integer.MAX_VALUE) {
                        dist[w] = dist[u] + 1;
                        queue.add(w);
                    }
                }
            }
            if (!found) return matching;
            int[] next = new int[nLeft];
            for (int u = 0; u < nLeft; u++) {
                if (matchLeft[u] == -1 && augment(u, adjacency, matchLeft, matchRight, dist, next)) matching++;
            }
        }
    }

    /** Iterative DFS along the BFS layers; {@code next[u]} remembers which edge of u to try next. */
    private static boolean augment(int root, int[][] adj, int[] matchLeft, int[] matchRight, int[] dist, int[] next) {
        int[] stack = new int[matchLeft.length + 1];
        int[] via = new int[matchLeft.length + 1]; // via[k]: right vertex leading from stack[k] to stack[k + 1]
        int top = 0;
        stack[top++] = root;
        while (top > 0) {
            int u = stack[top - 1];
            if (next[u] >= adj[u].length) {
                dist[u] = Integer.MAX_VALUE; // dead end: not again in this phase
                top--;
                continue;
            }
            int v = adj[u][next[u]++];
            int w = matchRight[v];
            if (w == -1) {
                for (int k = top - 1; k >= 0; k--) {
                    int right = k == top - 1 ? v : via[k];
                    matchLeft[stack[k]] = right;
                    matchRight[right] = stack[k];
                }
                return true;
            }
            if (dist[w] == dist[u] + 1) {
                via[top - 1] = v;
                stack[top++] = w;
            }
        }
        return false;
    }

    @JsonProperty("tp") public long tp() { return tp; }
    @JsonProperty("fp") public long fp() { return fp; }
    @JsonProperty("fn") public long fn() { return fn; }
    @JsonProperty("precision") public double precision() { return PixelMetrics.ratio(tp, tp + fp); }
    @JsonProperty("recall") public double recall() { return PixelMetrics.ratio(tp, tp + fn); }
    /** {@code 2 tp / (2 tp + fp + fn)}. */
    @JsonProperty("f1") public double f1() { return PixelMetrics.ratio(2 * tp, 2 * tp + fp + fn); }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "pore precision %.4f recall %.4f f1 %.4f (tp %d fp %d fn %d)",
                precision(), recall(), f1(), tp, fp, fn);
    }
}
