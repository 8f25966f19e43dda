package dev.porescope.core.face;

import dev.porescope.core.image.Mask;
import dev.porescope.core.pores.Pore;
import dev.porescope.core.pores.PoreSummary;

import java.util.ArrayList;
import java.util.List;

/**
 * The pores of one zone in numbers: the zone's {@link PoreSummary} (pixels, count, pores per
 * 100 x 100 px and per cm^2, mean and median area, pore fraction) and a 0-100 pore score.
 *
 * <p>Score = {@code 100 * f / (f + F_HALF)} with {@code f} the pore fraction (pore pixels / zone
 * pixels = density x mean pore area), so it rises with both the number and the size of the pores,
 * does not depend on the pixel size, and is 50 at {@link #F_HALF}, the pore fraction of the labelled
 * real photo's ROI (8.4 %).
 *
 * @param zone    which zone
 * @param name    {@link Zone#id()}
 * @param label   {@link Zone#label()}, its value in the zone mask
 * @param summary its pores
 * @param score   0-100, higher = more / larger pores
 */
public record ZoneFigures(Zone zone, String name, int label, PoreSummary summary, double score) {
    /** Pore fraction that scores 50. */
    public static final double F_HALF = 0.084;

    /** The score of a pore fraction. */
    public static double score(double poreFraction) {
        return poreFraction <= 0 ? 0 : 100 * poreFraction / (poreFraction + F_HALF);
    }

    /**
     * Figures of every zone present, in {@link Zone} order. A pore belongs to the zone under its
     * centroid (or, for a pore whose centroid falls outside it, under its first pixel in its box).
     */
    public static List<ZoneFigures> of(List<Pore> pores, FaceZones zones, Double pixelSizeUm) {
        List<Zone> present = zones.zones();
        List<List<Pore>> byZone = new ArrayList<>();
        for (int i = 0; i < 256; i++) byZone.add(null);
        for (Zone z : present) byZone.set(z.label(), new ArrayList<>());
        for (Pore p : pores) {
            int label = labelOf(p, zones);
            if (label != 0 && byZone.get(label) != null) byZone.get(label).add(p);
        }
        List<ZoneFigures> out = new ArrayList<>();
        for (Zone z : present) {
            Mask m = zones.mask(z);
            PoreSummary s = PoreSummary.of(byZone.get(z.label()), m, pixelSizeUm);
            out.add(new ZoneFigures(z, z.id(), z.label(), s, score(s.poreFraction())));
        }
        return out;
    }

    /** The zone a pore is counted in (the rule of {@link #of}), or null when it lies in none. */
    public static Zone zoneOf(Pore p, FaceZones zones) {
        return Zone.ofLabel(labelOf(p, zones));
    }

    private static int labelOf(Pore p, FaceZones zones) {
        int cx = Math.min(zones.width() - 1, Math.max(0, (int) Math.floor(p.x())));
        int cy = Math.min(zones.height() - 1, Math.max(0, (int) Math.floor(p.y())));
        int label = zones.label(cx, cy);
        for (int y = p.by(); label == 0 && y < p.by() + p.height(); y++) {
            for (int x = p.bx(); label == 0 && x < p.bx() + p.width(); x++) label = zones.label(x, y);
        }
        return label;
    }
}
