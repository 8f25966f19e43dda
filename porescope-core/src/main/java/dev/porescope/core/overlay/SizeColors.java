package dev.porescope.core.overlay;

/**
 * Pore size to colour, small to large: blue, cyan, green, yellow, red (a turbo-like map, readable
 * on every skin tone). Areas are placed on a log scale between the smallest and the largest pore.
 */
public final class SizeColors {
    private static final int[] STOPS = {0x2040FF, 0x00D0FF, 0x20E040, 0xFFE000, 0xFF2010};

    private final double logMin;
    private final double logMax;

    /** A map over areas {@code minArea..maxArea} (any unit, > 0). */
    public SizeColors(double minArea, double maxArea) {
        double lo = Math.max(1e-12, Math.min(minArea, maxArea));
        double hi = Math.max(lo, Math.max(minArea, maxArea));
        this.logMin = Math.log(lo);
        this.logMax = Math.log(hi);
    }

    /** RGB (no alpha) of a pore of this area. */
    public int rgb(double area) {
        double t = logMax > logMin ? (Math.log(Math.max(area, 1e-12)) - logMin) / (logMax - logMin) : 0.5;
        return at(Math.max(0, Math.min(1, t)));
    }

    /** The map's colour stops, small to large, as CSS hex ("#2040ff"): a viewer draws its legend from them. */
    public static java.util.List<String> cssStops() {
        java.util.List<String> out = new java.util.ArrayList<>(STOPS.length);
        for (int c : STOPS) out.add(String.format(java.util.Locale.ROOT, "#%06x", c));
        return out;
    }

    /** RGB at position {@code t} in [0, 1] of the map. */
    public static int at(double t) {
        double pos = t * (STOPS.length - 1);
        int i = Math.min(STOPS.length - 2, (int) Math.floor(pos));
        double f = pos - i;
        int a = STOPS[i];
        int b = STOPS[i + 1];
        int r = (int) Math.round(((a >> 16) & 255) * (1 - f) + ((b >> 16) & 255) * f);
        int g = (int) Math.round(((a >> 8) & 255) * (1 - f) + ((b >> 8) & 255) * f);
        int bl = (int) Math.round((a & 255) * (1 - f) + (b & 255) * f);
        return r << 16 | g << 8 | bl;
    }
}
