package dev.porescope.cli.report;

import dev.porescope.cli.io.ArgbImage;
import dev.porescope.core.image.Mask;
import dev.porescope.core.pores.Components;
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

/**
 * The photo with every pore outlined in a colour for its size (see {@link SizeColors}), above a
 * legend strip. The outline is drawn on the background pixels that touch the pore (8-neighbours),
 * so the pore's own pixels stay visible; the photo occupies rows {@code 0..height-1} unchanged
 * elsewhere, the legend the rows below.
 */
public final class Overlay {
    private Overlay() { }

    /** Height of the legend strip for a photo of this width, px. */
    public static int legendHeight(int width) {
        return Math.max(28, Math.min(160, width / 24));
    }

    /**
     * @param photo       the upright photo
     * @param poreMask    pixels of the pores (same size)
     * @param pores       the pores of {@code poreMask}, numbered 1.. in raster order
     * @param pixelSizeUm micrometres per pixel for the legend's area unit, or null
     */
    public static BufferedImage draw(ArgbImage photo, Mask poreMask, List<Pore> pores, Double pixelSizeUm) {
        int w = photo.width();
        int h = photo.height();
        if (poreMask.width() != w || poreMask.height() != h) {
            throw new IllegalArgumentException("pore mask " + poreMask.width() + "x" + poreMask.height()
                    + " differs from the photo " + w + "x" + h);
        }
        int legend = legendHeight(w);
        BufferedImage image = new BufferedImage(w, h + legend, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int[] in = photo.argb();
        for (int i = 0; i < in.length; i++) out[i] = in[i] & 0xFFFFFF;

        double unit = pixelSizeUm == null ? 1 : pixelSizeUm * pixelSizeUm;
        double minArea = pores.stream().mapToInt(Pore::area).min().orElse(1);
        double maxArea = pores.stream().mapToInt(Pore::area).max().orElse(1);
        SizeColors colors = new SizeColors(minArea, maxArea);
        if (!pores.isEmpty()) {
            // components of the kept pores come in the same raster order as the pores' numbers
            int[] labels = Components.of(poreMask).labels();
            int[] colourOf = new int[pores.size() + 1];
            for (Pore p : pores) colourOf[p.id()] = colors.rgb(p.area());
            for (Pore p : pores) {
                int x0 = Math.max(0, p.bx() - 1);
                int y0 = Math.max(0, p.by() - 1);
                int x1 = Math.min(w - 1, p.bx() + p.width());
                int y1 = Math.min(h - 1, p.by() + p.height());
                for (int y = y0; y <= y1; y++) {
                    for (int x = x0; x <= x1; x++) {
                        if (labels[y * w + x] == 0 && touches(labels, w, h, x, y, p.id())) {
                            out[y * w + x] = colourOf[p.id()];
                        }
                    }
                }
            }
        }
        drawLegend(image, w, h, legend, minArea * unit, maxArea * unit, pixelSizeUm == null ? "px\u00b2" : "\u00b5m\u00b2",
                pores.size());
        return image;
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
