package dev.porescope.cli.report;

import dev.porescope.core.overlay.SizeColors;

import dev.porescope.cli.io.ArgbImage;
import dev.porescope.core.image.Mask;
import dev.porescope.core.face.FaceLandmarks;
import dev.porescope.core.face.FaceZones;
import dev.porescope.core.face.Zone;
import dev.porescope.core.overlay.OverlayPixels;
import dev.porescope.core.pores.Pore;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The photo with every pore outlined in a colour for its size and the face zones outlined and named
 * (the pixels: core's {@link OverlayPixels}, shared with Android), above a legend strip: the photo
 * occupies rows {@code 0..height-1}, the legend the rows below.
 */
public final class Overlay {
    private Overlay() { }

    /** Height of the legend strip for a photo of this width, px. */
    public static int legendHeight(int width) {
        return Math.max(28, Math.min(160, width / 24));
    }

    /** Pores only, no zones. */
    public static BufferedImage draw(ArgbImage photo, Mask poreMask, List<Pore> pores, Double pixelSizeUm) {
        return draw(photo, poreMask, pores, null, pixelSizeUm);
    }

    /**
     * @param photo       the upright photo
     * @param poreMask    pixels of the pores (same size)
     * @param pores       the pores of {@code poreMask}, numbered 1.. in raster order
     * @param zones       face zones to outline and name, or null
     * @param pixelSizeUm micrometres per pixel for the legend's area unit, or null
     */
    public static BufferedImage draw(ArgbImage photo, Mask poreMask, List<Pore> pores, FaceZones zones, Double pixelSizeUm) {
        int w = photo.width();
        int h = photo.height();
        if (poreMask.width() != w || poreMask.height() != h) {
            throw new IllegalArgumentException("pore mask " + poreMask.width() + "x" + poreMask.height()
                    + " differs from the photo " + w + "x" + h);
        }
        int[] drawn = OverlayPixels.pores(photo.argb(), poreMask, pores);
        if (zones != null) OverlayPixels.zoneOutlines(drawn, zones, OverlayPixels.outlineThickness(w, h));
        int legend = legendHeight(w);
        BufferedImage image = new BufferedImage(w, h + legend, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < drawn.length; i++) out[i] = drawn[i] & 0xFFFFFF;
        if (zones != null) drawZoneNames(image, zones, legend);

        double unit = pixelSizeUm == null ? 1 : pixelSizeUm * pixelSizeUm;
        double minArea = pores.stream().mapToInt(Pore::area).min().orElse(1);
        double maxArea = pores.stream().mapToInt(Pore::area).max().orElse(1);
        drawLegend(image, w, h, legend, minArea * unit, maxArea * unit, pixelSizeUm == null ? "px\u00b2" : "\u00b5m\u00b2",
                pores.size());
        return image;
    }

    /** Each zone's name at the centre of its pixels, white on a dark box. */
    private static void drawZoneNames(BufferedImage image, FaceZones zones, int fontSize) {
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, fontSize / 2)));
            FontMetrics fm = g.getFontMetrics();
            for (Map.Entry<Zone, FaceLandmarks.Point> e : zones.anchors().entrySet()) {
                String name = e.getKey().id().replace('_', ' ');
                int tw = fm.stringWidth(name);
                int x = (int) Math.round(e.getValue().x()) - tw / 2;
                int y = (int) Math.round(e.getValue().y());
                g.setColor(new Color(0, 0, 0, 150));
                g.fillRect(x - 3, y - fm.getAscent(), tw + 6, fm.getAscent() + fm.getDescent());
                g.setColor(Color.WHITE);
                g.drawString(name, x, y);
            }
        } finally {
            g.dispose();
        }
    }

    private static void drawLegend(BufferedImage image, int w, int top, int legend, double minArea, double maxArea,
                                   String unit, int count) {
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, top, w, legend);
            int pad = Math.max(3, legend / 6);
            int fontSize = Math.max(9, legend / 2 - 2);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, fontSize));
            FontMetrics fm = g.getFontMetrics();
            String left = count == 0 ? "no pores" : String.format(Locale.ROOT, "%s %s", fmt(minArea), unit);
            String right = String.format(Locale.ROOT, "%s %s", fmt(maxArea), unit);
            String title = count + (count == 1 ? " pore, area " : " pores, area ");
            int baseline = top + (legend + fm.getAscent() - fm.getDescent()) / 2;
            int x = pad;
            g.setColor(Color.BLACK);
            g.drawString(title, x, baseline);
            x += fm.stringWidth(title);
            g.drawString(left, x, baseline);
            x += fm.stringWidth(left) + pad;
            int barEnd = w - pad - fm.stringWidth(right) - pad;
            if (barEnd > x + 4) {
                for (int i = x; i < barEnd; i++) {
                    g.setColor(new Color(SizeColors.at((i - x) / (double) Math.max(1, barEnd - x - 1))));
                    g.drawLine(i, top + pad, i, top + legend - pad);
                }
                g.setColor(Color.BLACK);
                g.drawString(right, barEnd + pad, baseline);
            }
        } finally {
            g.dispose();
        }
    }

    private static String fmt(double v) {
        return v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
