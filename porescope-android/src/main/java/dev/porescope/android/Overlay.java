package dev.porescope.android;

import dev.porescope.core.image.Mask;
import dev.porescope.core.pores.Components;

/**
 * Pore outlines over a photo, each pore coloured by its area: blue for the smallest pores through
 * green and yellow to red for the largest (log scale between the smallest and largest pore found).
 * Pure Java on packed ARGB pixels, so it is tested on the JVM and could serve the desktop too.
 */
public final class Overlay {
    /** Colour ramp from small to large pores (opaque ARGB). */
    static final int[] RAMP = {0xFF2060FF, 0xFF00C8FF, 0xFF20E040, 0xFFFFE000, 0xFFFF2020};

    private Overlay() { }

    /**
     * A copy of {@code photoArgb} with the outline of every pore of {@code poreMask} drawn in its size
     * colour. An outline pixel is a pore pixel with a 4-neighbour outside the pore (or the image edge).
     */
    public static int[] draw(int[] photoArgb, Mask poreMask) {
        int w = poreMask.width();
        int h = poreMask.height();
        if (photoArgb.length != w * h) {
            throw new IllegalArgumentException("photo of " + photoArgb.length + " pixels does not match the "
                    + w + "x" + h + " pore mask");
        }
        Components components = Components.of(poreMask);
        int[] areas = components.areas();
        int[] labels = components.labels();
        int[] colours = colours(areas);
        int[] out = photoArgb.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int label = labels[i];
                if (label == 0) continue;
                boolean edge = x == 0 || y == 0 || x == w - 1 || y == h - 1
                        || labels[i - 1] != label || labels[i + 1] != label
                        || labels[i - w] != label || labels[i + w] != label;
                if (edge) {
                    out[i] = colours[label];
                }
            }
        }
        return out;
    }

    /** The outline colour of each component label (index 0 unused). */
    static int[] colours(int[] areas) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int l = 1; l < areas.length; l++) {
            min = Math.min(min, areas[l]);
            max = Math.max(max, areas[l]);
        }
        int[] colours = new int[areas.length];
        double span = max > min ? Math.log(max) - Math.log(min) : 0;
        for (int l = 1; l < areas.length; l++) {
            double t = span == 0 ? 0.5 : (Math.log(areas[l]) - Math.log(min)) / span;
            colours[l] = ramp(t);
        }
        return colours;
    }

    /** Linear interpolation along {@link #RAMP}, t in [0, 1]. */
    static int ramp(double t) {
        double pos = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
        int i = Math.min((int) pos, RAMP.length - 2);
        double f = pos - i;
        int a = RAMP[i];
        int b = RAMP[i + 1];
        int r = (int) Math.round(((a >> 16) & 0xFF) * (1 - f) + ((b >> 16) & 0xFF) * f);
        int g = (int) Math.round(((a >> 8) & 0xFF) * (1 - f) + ((b >> 8) & 0xFF) * f);
        int bl = (int) Math.round((a & 0xFF) * (1 - f) + (b & 0xFF) * f);
        return 0xFF000000 | (r << 16) | (g << 8) | bl;
    }
}
