package dev.porescope.cli.report;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The table's numbers are ImageJ-like: String.format's 4 decimals, trailing zeros dropped. */
class PoreTableTest {

    /** The rule as first written: the formatter, then a regular expression. */
    private static String byTheFormatter(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    @Test
    void numbersAreWhatTheFormatterWrites() {
        double[] edges = {0.5, 1.5, 0.00005, 0.00004999, 0.00015, 1.23455, 2.00005, -0.00001, -0.00005, -1.23455,
                123456.78905, 0.1, 0.30000000000000004, 1e-9, -1e-9, 1e14 + 0.5, 9.99995, 0.99995, Double.MIN_VALUE,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 3.0, -7.0};
        for (double v : edges) assertEquals(byTheFormatter(v), PoreTable.num(v), "value " + v);
        Random r = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            double v = switch (i % 4) {
                case 0 -> r.nextDouble();                              // circularity, probability, contrast
                case 1 -> r.nextDouble() * 4000;                       // positions, perimeters in px
                case 2 -> Math.round(r.nextDouble() * 1e6) / 1e5;      // short decimals, ties at the 5th place
                default -> (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(12) - 6);
            };
            assertEquals(byTheFormatter(v), PoreTable.num(v), "value " + v);
        }
    }
}
