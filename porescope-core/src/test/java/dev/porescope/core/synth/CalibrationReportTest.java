package dev.porescope.core.synth;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CalibrationReportTest {
    @Test
    void tableListsSyntheticRealAndTargetSideBySide() {
        SkinStatistics a = new SkinStatistics(100, 30, 20, 5.0, 0.03, 0.08);
        SkinStatistics b = new SkinStatistics(120, 40, 24, 5.5, 0.04, 0.09);
        SkinStatistics real = new SkinStatistics(1352, 35.4, 20, 5.05, 0.031, 0.084);
        CalibrationReport report = new CalibrationReport(List.of(a, b), List.of(real));
        String table = report.table();
        assertTrue(table.contains("pores per 100x100 px"), table);
        assertTrue(table.contains("35.00 [30.00-40.00]"), table);   // median of 30 and 40, then the range
        assertTrue(table.contains("35.40"), table);
        assertTrue(table.contains("3.50 [3.00-4.00]"), table);     // contrast in percent
        assertTrue(table.contains("1.50 - 6.00"), table);
        assertTrue(report.syntheticInRange());
        assertEquals(6, table.strip().split("\n").length);
    }

    @Test
    void compareMeasuresTheRealPhotosAndTheGeneratedOnes() {
        // a hand-made "real" photo: flat skin at 0.5, four 3x3 pores at 0.4, 20 px apart, labelled exactly
        int side = 100;
        Plane luma = new Plane(side, side);
        java.util.Arrays.fill(luma.values(), 0.5f);
        boolean[] label = new boolean[side * side];
        for (int[] corner : new int[][] {{20, 20}, {60, 20}, {20, 60}, {60, 60}}) {
            for (int y = corner[1]; y < corner[1] + 3; y++) {
                for (int x = corner[0]; x < corner[0] + 3; x++) {
                    luma.values()[y * side + x] = 0.4f;
                    label[y * side + x] = true;
                }
            }
        }
        LabelledImage real = new LabelledImage("hand-made", luma, new Mask(side, side, label), Mask.full(side, side));
        CalibrationReport report = CalibrationReport.compare(SynthConfig.defaults(128, 128), 2, 100, List.of(real));

        SkinStatistics r = report.real().get(0);
        assertEquals(4, r.count());
        assertEquals(4.0, r.poresPer100x100(), 1e-9);         // 4 pores in 100x100 px
        assertEquals(9.0, r.medianArea(), 1e-9);
        assertEquals(2 * Math.sqrt(9 / Math.PI), r.medianEquivalentDiameter(), 1e-9);
        assertEquals(1 - 0.4 / 0.5, r.medianRelativeContrast(), 1e-6); // pore 0.4 against its ring of 0.5
        assertEquals(36 / 10_000.0, r.poreFraction(), 1e-9);
        // the synthetic side: two photos, from seeds 100 and 101, each measured over the whole photo
        assertEquals(2, report.synthetic().size());
        assertNotEquals(report.synthetic().get(0), report.synthetic().get(1));
        for (SkinStatistics s : report.synthetic()) assertTrue(s.count() > 0 && s.poresPer100x100() > 0, s.toString());
    }

    @Test
    void outOfRangeIsFlagged() {
        SkinStatistics sparse = new SkinStatistics(10, 5, 20, 5.0, 0.03, 0.01);
        CalibrationReport report = new CalibrationReport(List.of(sparse), List.of());
        assertFalse(report.syntheticInRange());
        assertTrue(report.table().contains("OUT OF RANGE"));
    }
}
