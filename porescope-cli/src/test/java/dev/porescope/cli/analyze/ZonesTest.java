package dev.porescope.cli.analyze;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one zones choice of analyze and serve: two words, and one refusal that says what to give. */
class ZonesTest {
    @Test
    void autoFindsZonesAndNoneDoesNot() {
        assertTrue(Zones.parse("auto").found());
        assertFalse(Zones.parse("none").found());
    }

    @Test
    void anythingElseIsRefusedWithTheSameLineByBothParsers() {
        for (String bad : new String[] {"maybe", "AUTO", "", "auto "}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Zones.parse(bad));
            assertEquals("zones must be auto (face zones, the default) or none (the whole photo), not '" + bad + "'", e.getMessage());
            TypeConversionException usage = assertThrows(TypeConversionException.class, () -> new Zones.Converter().convert(bad));
            assertEquals(e.getMessage(), usage.getMessage());
        }
    }
}
