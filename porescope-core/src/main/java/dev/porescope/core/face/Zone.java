package dev.porescope.core.face;

import java.util.Locale;

/**
 * A face zone in which pores are counted, as skin-analysis products report them. Left and right are
 * the subject's: on a frontal photo (not mirrored) the subject's right cheek is on the image's left.
 * {@link #SKIN} is the whole skin mask, used when no face was found (a close-up of a cheek).
 */
public enum Zone {
    FOREHEAD(40),
    NOSE(80),
    RIGHT_CHEEK(120),
    LEFT_CHEEK(160),
    CHIN(200),
    SKIN(255);

    /** The five face zones, in drawing order. */
    public static final Zone[] FACE = {FOREHEAD, NOSE, RIGHT_CHEEK, LEFT_CHEEK, CHIN};

    private final int label;

    Zone(int label) {
        this.label = label;
    }

    /** Its value in the 8-bit zone mask ({@code --zones-mask}); 0 = not analysed. */
    public int label() { return label; }

    /** Lower-case name used in JSON, CSV and on the overlay: forehead, nose, right_cheek, left_cheek, chin, skin. */
    public String id() { return name().toLowerCase(Locale.ROOT); }

    /** The zone with this mask value, or null. */
    public static Zone ofLabel(int label) {
        for (Zone z : values()) {
            if (z.label == label) return z;
        }
        return null;
    }
}
