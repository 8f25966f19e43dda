package dev.porescope.core.overlay;

import dev.porescope.core.face.FaceZones;
import dev.porescope.core.image.Mask;
import dev.porescope.core.pores.Components;
import dev.porescope.core.pores.Pore;

import java.util.List;

/**
 * The overlay's pixels, shared by the command line and Android: every pore outlined in a colour for
 * its size ({@link SizeColors}), drawn on the background pixels that touch the pore (8-neighbours)
 * so that the pore's own pixels stay visible; and the outlines of the face zones. Packed ARGB in and
 * out; the photo itself is not changed.
 */
public final class OverlayPixels {
    /** Colour of the zone outlines (opaque white). */
    public static final int ZONE_OUTLINE = 0xFFFFFFFF;

    private OverlayPixels() { }

    /**
     * A copy of {@code photoArgb} with the pores outlined.
     *
     * @param pores the pores of {@code poreMask}, numbered 1.. in raster order (as {@code PoreExtractor} gives them)
     */
    public static int[] pores(int[] photoArgb, Mask poreMask, List<Pore> pores) {
        int w = poreMask.width();
        int h = poreMask.height();
        if (photoArgb.length != (long) w * h) {
            throw new IllegalArgumentException("photo of " + photoArgb.length + " pixels does not match the "
                    + w + "x" + h + " pore mask");
        }
        int[] out = photoArgb.clone();
        if (pores.isEmpty()) return out;
        SizeColors colors = colors(pores);
        // components of the kept pores come in the same raster order as the pores' numbers
        int[] labels = Components.of(poreMask).labels();
        int[] colourOf = new int[pores.size() + 1];
        for (Pore p : pores) colourOf[p.id()] = 0xFF000000 | colors.rgb(p.area());
        for (Pore p : pores) {
            int x0 = Math.max(0, p.bx() - 1);
            int y0 = Math.max(0, p.by() - 1);
            int x1 = Math.min(w - 1, p.bx() + p.width());
            int y1 = Math.min(h - 1, p.by() + p.height());
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    if (labels[y * w + x] == 0 && touches(labels, w, h, x, y, p.id())) out[y * w + x] = colourOf[p.id()];
                }
            }
        }
        return out;
    }

    /**
     * The pore layer a viewer draws over the photo (the web page of {@code porescope serve}): each
     * kept pore's own pixels filled, opaque, in its size colour (the same colour as its outline in
     * {@link #pores}), the zone outlines in {@link #ZONE_OUTLINE} where they cross no pore, and every
     * other pixel transparent (0).
     *
     * @param pores the pores of {@code poreMask}, numbered 1.. in raster order (as {@code PoreExtractor} gives them)
     * @param zones the face zones, or null
     */
    public static int[] layer(Mask poreMask, List<Pore> pores, FaceZones zones) {
        int w = poreMask.width();
        int h = poreMask.height();
        int[] out = new int[w * h];
        if (zones != null) zoneOutlines(out, zones, outlineThickness(w, h));
        if (pores.isEmpty()) return out;
        SizeColors colors = colors(pores);
        int[] labels = Components.of(poreMask).labels();
        int[] colourOf = new int[pores.size() + 1];
        for (Pore p : pores) colourOf[p.id()] = 0xFF000000 | colors.rgb(p.area());
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l > 0 && l < colourOf.length) out[i] = colourOf[l];
        }
        return out;
    }

    /** The size colour map over the pores' areas (smallest to largest, log scale). */
    public static SizeColors colors(List<Pore> pores) {
        double minArea = pores.stream().mapToInt(Pore::area).min().orElse(1);
        double maxArea = pores.stream().mapToInt(Pore::area).max().orElse(1);
        return new SizeColors(minArea, maxArea);
    }

    /**
     * Draws the outline of every zone into {@code argb} (in place): the zone pixels with a 4-neighbour
     * of another label, thickened to {@code thickness} px.
     */
    public static void zoneOutlines(int[] argb, FaceZones zones, int thickness) {
        int w = zones.width();
        int h = zones.height();
        if (argb.length != (long) w * h) {
            throw new IllegalArgumentException("image of " + argb.length + " pixels does not match the " + w + "x" + h + " zones");
        }
        byte[] labels = zones.labels();
        boolean[] edge = new boolean[labels.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (labels[i] == 0) continue;
                edge[i] = x == 0 || y == 0 || x == w - 1 || y == h - 1 || labels[i - 1] != labels[i]
                        || labels[i + 1] != labels[i] || labels[i - w] != labels[i] || labels[i + w] != labels[i];
            }
        }
        int r = Math.max(0, thickness - 1) / 2;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!edge[y * w + x]) continue;
                for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
                    for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) argb[yy * w + xx] = ZONE_OUTLINE;
                }
            }
        }
    }

    /** A zone outline's thickness for a photo of this size: visible when the photo is shown small. */
    public static int outlineThickness(int width, int height) {
        return Math.max(1, Math.max(width, height) / 600);
    }

    private static boolean touches(int[] labels, int w, int h, int x, int y, int id) {
        for (int dy = -1; dy <= 1; dy++) {
            int yy = y + dy;
            if (yy < 0 || yy >= h) continue;
            for (int dx = -1; dx <= 1; dx++) {
                int xx = x + dx;
                if (xx >= 0 && xx < w && labels[yy * w + xx] == id) return true;
            }
        }
        return false;
    }
}
