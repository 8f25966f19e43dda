package dev.porescope.core.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SynthConfigTest {
    @Test
    void roundTripsThroughJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        SynthConfig config = SynthConfig.randomized(new SplittableRandom(7), 320, 200);
        String text = json.writeValueAsString(config);
        assertEquals(config, json.readValue(text, SynthConfig.class));
        assertTrue(text.contains("\"unevenLight\""), text);
    }

    @Test
    void randomizedIsDeterministicBySeed() {
        assertEquals(SynthConfig.randomized(new SplittableRandom(3), 64, 64),
                SynthConfig.randomized(new SplittableRandom(3), 64, 64));
        assertNotEquals(SynthConfig.randomized(new SplittableRandom(3), 64, 64),
                SynthConfig.randomized(new SplittableRandom(4), 64, 64));
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SynthConfig.defaults(64, 64).withCamera(-1, 0));
        assertTrue(e.getMessage().contains("blurSigma"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SynthConfig.defaults(0, 64));
    }
}
