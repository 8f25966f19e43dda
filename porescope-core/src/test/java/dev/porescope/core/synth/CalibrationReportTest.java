package dev.porescope.core.synth;

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
    void outOfRangeIsFlagged() {
        SkinStatistics sparse = new SkinStatistics(10, 5, 20, 5.0, 0.03, 0.01);
        CalibrationReport report = new CalibrationReport(List.of(sparse), List.of());
        assertFalse(report.syntheticInRange());
        assertTrue(report.table().contains("OUT OF RANGE"));
    }
}
