package dev.porescope.cli.report;

import dev.porescope.cli.io.ArgbImage;
import dev.porescope.cli.io.PngFiles;
import dev.porescope.core.image.Mask;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * The paper's Fig. 2 for one photo, side by side: the photo | the server model's pores | the device
 * model's pores. Pores are filled in red over the dimmed photo; in the device panel, pixels only
 * the device marks are yellow and pixels only the server marks are cyan, so disagreement is visible.
 */
public final class ParityFigure {
    /** Pixels between the panels. */
    public static final int GAP = 8;
    static final Color AGREE = new Color(230, 30, 30);
    static final Color DEVICE_ONLY = new Color(255, 220, 0);
    static final Color SERVER_ONLY = new Color(0, 200, 230);

    private ParityFigure() { }

    /** The three panels with captions above them. */
    public static BufferedImage render(ArgbImage photo, Mask serverPores, Mask devicePores,
                                       String photoCaption, String serverCaption, String deviceCaption) {
        int w = photo.width(), h = photo.height();
        int fontSize = Math.max(11, Math.min(28, w / 22));
        int header = fontSize * 2;
        BufferedImage out = new BufferedImage(3 * w + 2 * GAP, h + header, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            int[] plain = photo.argb();
            int[] server = new int[w * h], device = new int[w * h];
            boolean[] s = serverPores.bits(), d = devicePores.bits();
            for (int i = 0; i < plain.length; i++) {
                int dim = dim(plain[i]);
                server[i] = s[i] ? AGREE.getRGB() : dim;
                device[i] = d[i] && s[i] ? AGREE.getRGB() : d[i] ? DEVICE_ONLY.getRGB() : s[i] ? SERVER_ONLY.getRGB() : dim;
            }
            out.setRGB(0, header, w, h, plain, 0, w);
            out.setRGB(w + GAP, header, w, h, server, 0, w);
            out.setRGB(2 * (w + GAP), header, w, h, device, 0, w);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, fontSize));
            g.setColor(Color.BLACK);
            FontMetrics fm = g.getFontMetrics();
            int baseline = (header + fm.getAscent() - fm.getDescent()) / 2;
            String[] captions = {photoCaption, serverCaption, deviceCaption};
            for (int k = 0; k < 3; k++) {
                g.drawString(fit(captions[k], fm, w), k * (w + GAP) + 2, baseline);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    public static void write(Path file, ArgbImage photo, Mask serverPores, Mask devicePores,
                             String photoCaption, String serverCaption, String deviceCaption) {
        PngFiles.writePng(render(photo, serverPores, devicePores, photoCaption, serverCaption, deviceCaption), file);
    }

    /** The photo at 60% brightness, so that the coloured pores stand out. */
    private static int dim(int argb) {
        int r = (argb >> 16 & 255) * 3 / 5, g = (argb >> 8 & 255) * 3 / 5, b = (argb & 255) * 3 / 5;
        return 0xff000000 | r << 16 | g << 8 | b;
    }

    private static String fit(String text, FontMetrics fm, int width) {
        String t = text;
        while (t.length() > 4 && fm.stringWidth(t) > width - 4) t = t.substring(0, t.length() - 2);
        return t.equals(text) ? t : t + "…";
    }
}
