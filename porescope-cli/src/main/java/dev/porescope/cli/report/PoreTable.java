package dev.porescope.cli.report;

import dev.porescope.core.pores.Pore;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * One row per pore with the columns of ImageJ's "Analyze Particles" results table, in pixels, or
 * in micrometres when a pixel size is given; each column name carries its unit in parentheses.
 * "Mean" is the mean pore probability (ImageJ's mean of the analysed image, here the model's
 * probability map); "Contrast" is the pore's relative darkness against its surrounding ring.
 */
public final class PoreTable {
    private PoreTable() { }

    /** Column names as ImageJ writes them, without units. */
    public static final List<String> COLUMNS = List.of(" ", "Area", "X", "Y", "Perim.", "Circ.", "Feret", "Mean",
            "Contrast", "BX", "BY", "Width", "Height");

    /** The header line, each measured column followed by its unit, e.g. {@code Area (um^2)}. */
    public static String header(Double pixelSizeUm) {
        String len = pixelSizeUm == null ? "px" : "um";
        String area = pixelSizeUm == null ? "px^2" : "um^2";
        return String.join(",", " ", "Area (" + area + ")", "X (" + len + ")", "Y (" + len + ")",
                "Perim. (" + len + ")", "Circ.", "Feret (" + len + ")", "Mean", "Contrast",
                "BX (" + len + ")", "BY (" + len + ")", "Width (" + len + ")", "Height (" + len + ")");
    }

    /** The whole table, header first, one line per pore, {@code \n} line ends. */
    public static String csv(List<Pore> pores, Double pixelSizeUm) {
        StringWriter out = new StringWriter(64 + 96 * pores.size());
        try {
            write(pores, pixelSizeUm, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes the table to {@code out}. */
    public static void write(List<Pore> pores, Double pixelSizeUm, Writer out) throws IOException {
        out.write(header(pixelSizeUm));
        out.write('\n');
        int row = 0;
        StringBuilder line = new StringBuilder(128);
        for (Pore p : pores) {
            line.setLength(0);
            line.append(++row);
            for (double v : values(p, pixelSizeUm)) line.append(',').append(num(v));
            out.append(line.append('\n'));
        }
    }

    /**
     * The measured columns of one pore ({@link #COLUMNS} after the row number), in pixels or, with a
     * pixel size, in micrometres.
     */
    public static double[] values(Pore p, Double pixelSizeUm) {
        double s = pixelSizeUm == null ? 1 : pixelSizeUm;
        return new double[] {p.area() * s * s, p.x() * s, p.y() * s, p.perimeter() * s, p.circularity(),
                p.feret() * s, p.meanProbability(), p.contrast(), p.bx() * s, p.by() * s, p.width() * s, p.height() * s};
    }

    /** ImageJ-like precision: up to 4 decimals, no trailing zeros, never exponent notation. */
    public static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        if (!Double.isFinite(v)) return Double.toString(v);
        // what String.format("%.4f") gives (half-up on the shortest decimal form), trailing zeros
        // dropped, without the formatter and a regular expression per value (a 12 MP photo's table
        // has 400,000 of them)
        BigDecimal d = BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP);
        if (d.signum() == 0) return v < 0 ? "-0" : "0";
        return d.stripTrailingZeros().toPlainString();
    }
}
