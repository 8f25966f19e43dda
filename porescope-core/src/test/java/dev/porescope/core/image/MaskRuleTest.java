package dev.porescope.core.image;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one rule for label and ROI pixels (command line and phone): black is outside, any other colour inside. */
class MaskRuleTest {

    @Test
    void argbPixelsAreSetWhenAnyColourChannelIsNonZeroWhateverTheAlpha() {
        int[] argb = {
                0xFF000000,   // opaque black: outside
                0xFF646464,   // grey 100: inside
                0xFFFFFFFF,   // white: inside
                0xFF000001,   // blue 1: inside
                0x00FFFFFF,   // transparent white: inside (alpha is not a colour)
                0x7F000000,   // half-transparent black: outside
        };
        assertArrayEquals(new boolean[] {false, true, true, true, true, false}, Mask.fromArgb(argb, 3, 2).bits());
        assertThrows(IllegalArgumentException.class, () -> Mask.fromArgb(argb, 2, 2));
    }

    @Test
    void rawSamplesFollowTheSameRuleAtAnyBitDepthAndIgnoreAlpha() {
        // grey + alpha, two pixels: (0, 255) and (100, 0)
        int[] greyAlpha = {0, 255, 100, 0};
        assertFalse(Mask.isSet(greyAlpha, 0, 1));
        assertTrue(Mask.isSet(greyAlpha, 2, 1));
        // 16-bit RGB: (0, 0, 1) is set, (0, 0, 0) is not
        int[] rgb16 = {0, 0, 1, 0, 0, 0};
        assertTrue(Mask.isSet(rgb16, 0, 3));
        assertFalse(Mask.isSet(rgb16, 3, 3));
    }
}
