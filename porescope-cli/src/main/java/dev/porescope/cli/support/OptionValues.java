package dev.porescope.cli.support;

import dev.porescope.core.preprocess.Preprocessing;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/**
 * Option values checked where picocli parses them, so that a bad value is a usage error (exit 2,
 * one line: {@code Invalid value for option '--steps': ...}) before any work starts. Use with
 * {@code @Option(converter = OptionValues.AtLeastOne.class)}.
 */
public final class OptionValues {
    private OptionValues() { }

    /** The most threads a count may ask for: four per core (more only waits, and a process limit kills it). */
    public static int maxThreads() {
        return 4 * Runtime.getRuntime().availableProcessors();
    }

    /** A whole number of at least 1 (steps, photos, repeats). */
    public static final class AtLeastOne implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return whole(value, 1, Integer.MAX_VALUE, "a whole number of at least 1");
        }
    }

    /** A whole number of at least 0. */
    public static final class ZeroOrMore implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return whole(value, 0, Integer.MAX_VALUE, "a whole number of at least 0");
        }
    }

    /** A thread count: 0 (all cores, where the option says so) up to {@link #maxThreads()}. */
    public static final class Threads implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int cores = Runtime.getRuntime().availableProcessors();
            return whole(value, 0, maxThreads(), "a thread count from 0 to " + maxThreads() + " (4 per CPU core; this machine has "
                    + cores + ")");
        }
    }

    /** A finite number above 0 (megapixels, micrometres, learning rate). */
    public static final class Positive implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = number(value, "a number above 0");
            if (!(v > 0)) throw new TypeConversionException("'" + value + "' is not a number above 0");
            return v;
        }
    }

    /** A finite number of at least 0 (sigmas, amounts, weights; 0 = off). */
    public static final class ZeroOrPositive implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = number(value, "a number of at least 0");
            if (!(v >= 0)) throw new TypeConversionException("'" + value + "' is not a number of at least 0");
            return v;
        }
    }

    /** A fraction from 0 up to (not including) 1. */
    public static final class Fraction implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = number(value, "a fraction from 0 to below 1");
            if (!(v >= 0 && v < 1)) throw new TypeConversionException("'" + value + "' is not a fraction from 0 to below 1");
            return v;
        }
    }

    /** A share from 0 to 1, both included. */
    public static final class Share implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = number(value, "a share from 0 to 1");
            if (!(v >= 0 && v <= 1)) throw new TypeConversionException("'" + value + "' is not a share from 0 to 1");
            return v;
        }
    }

    /** Per-photo normalisation: {@code standardize} or {@code none}. */
    public static final class Normalize implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            if (v.equals(Preprocessing.STANDARDIZE) || v.equals(Preprocessing.LOCAL) || v.equals(Preprocessing.NONE)) return v;
            throw new TypeConversionException("'" + value + "' is not a normalisation; use " + Preprocessing.LOCAL + ", "
                    + Preprocessing.STANDARDIZE + " or " + Preprocessing.NONE);
        }
    }

    private static int whole(String value, int min, int max, String what) {
        long v;
        try {
            v = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not " + what);
        }
        if (v < min || v > max) throw new TypeConversionException("'" + value + "' is not " + what);
        return (int) v;
    }

    private static double number(String value, String what) {
        double v;
        try {
            v = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not " + what);
        }
        if (!Double.isFinite(v)) throw new TypeConversionException("'" + value + "' is not " + what + " (it must be finite)");
        return v;
    }
}
