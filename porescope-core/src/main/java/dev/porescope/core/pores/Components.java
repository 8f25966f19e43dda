package dev.porescope.core.pores;

import dev.porescope.core.image.Mask;

/** 8-connected component labelling of a mask. */
public final class Components {
    /** Label of each pixel: 0 = background, 1..count = component (numbered in raster order of first pixel). */
    private final int[] labels;
    private final int count;
    private final int width;
    private final int height;

    private Components(int[] labels, int count, int width, int height) {
        this.labels = labels;
        this.count = count;
        this.width = width;
        this.height = height;
    }

    public static Components of(Mask mask) {
        int w = mask.width();
        int h = mask.height();
        boolean[] bits = mask.bits();
        int[] labels = new int[bits.length];
        int[] stack = new int[64];
        int next = 0;
        for (int start = 0; start < bits.length; start++) {
            if (!bits[start] || labels[start] != 0) continue;
            int label = ++next;
            labels[start] = label;
            int top = 0;
            stack[top++] = start;
            while (top > 0) {
                int p = stack[--top];
                int px = p % w;
                int py = p / w;
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = py + dy;
                    if (ny < 0 || ny >= h) continue;
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = px + dx;
                        if (nx < 0 || nx >= w) continue;
                        int q = ny * w + nx;
                        if (bits[q] && labels[q] == 0) {
                            labels[q] = label;
                            if (top == stack.length) stack = java.util.Arrays.copyOf(stack, top * 2);
                            stack[top++] = q;
                        }
                    }
                }
            }
        }
        return new Components(labels, next, w, h);
    }

    /** Component label per pixel (row-major); 0 is background. Do not modify. */
    public int[] labels() { return labels; }
    public int count() { return count; }
    public int width() { return width; }
    public int height() { return height; }

    /** Pixel count of each component, indexed by label (index 0 unused). */
    public int[] areas() {
        int[] areas = new int[count + 1];
        for (int l : labels) {
            if (l != 0) areas[l]++;
        }
        return areas;
    }
}
