package dev.porescope.cli.analyze;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/**
 * Where pores are counted: {@code auto}, in face zones (or on the skin alone when no face is in
 * view), or {@code none}, over the whole photo. {@code analyze --zones} and {@code serve}'s
 * {@code zones} field both parse it here, so both refuse a bad value with the same line.
 */
public enum Zones {
    AUTO, NONE;

    /** {@code auto} or {@code none}; anything else is refused with the one message both commands show. */
    public static Zones parse(String value) {
        for (Zones z : values()) {
            if (z.text().equals(value)) return z;
        }
        throw new IllegalArgumentException("zones must be auto (face zones, the default) or none (the whole photo), not '"
                + value + "'");
    }

    /** Whether face zones are looked for. */
    public boolean found() {
        return this == AUTO;
    }

    /** The value as written on the command line and in the API. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code --zones} for picocli: a bad value is a usage error (exit 2) with {@link #parse}'s line. */
    public static final class Converter implements ITypeConverter<Zones> {
        @Override
        public Zones convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
