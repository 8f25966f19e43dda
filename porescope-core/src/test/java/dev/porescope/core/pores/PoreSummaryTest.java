package dev.porescope.core.pores;

import dev.porescope.core.image.Mask;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PoreSummaryTest {

    private static Pore pore(int area) {
        return new Pore(1, 0, 0, area, 1, 1, 1, 1, 0, 0, 0, 1, 1);
    }

    @Test
    void countsDensityAndAreas() {
        List<Pore> pores = new ArrayList<>();
        for (int a : new int[]{3, 12, 12, 25, 700}) pores.add(pore(a));
        Mask roi = Mask.full(200, 100); // 2 x (100 x 100)
        PoreSummary s = PoreSummary.of(pores, roi);
        assertEquals(5, s.count());
        assertEquals(2.5, s.per100x100(), 1e-12);
        assertNull(s.perCm2());
        assertEquals("px^2", s.areaUnit());
        assertEquals((3 + 12 + 12 + 25 + 700) / 5.0, s.meanArea(), 1e-12);
        assertEquals(12, s.medianArea());
        assertEquals(752.0 / 20_000, s.poreFraction(), 1e-12);
        assertEquals(5, s.areaHistogram().stream().mapToInt(PoreSummary.Bin::count).sum());
        assertEquals(1, s.areaHistogram().get(0).count()); // [1, 5)
        assertEquals(2, s.areaHistogram().get(2).count()); // [10, 20)
        assertEquals(1, s.areaHistogram().get(s.areaHistogram().size() - 1).count()); // >= 640
    }

    @Test
    void micrometresGivePerCm2AndSquareMicrometres() {
        List<Pore> pores = List.of(pore(10), pore(20));
        Mask roi = Mask.full(100, 100);
        PoreSummary s = PoreSummary.of(pores, roi, 10.0); // 100 x 100 px of 10 um = 1 mm x 1 mm = 0.01 cm^2
        assertEquals(200, s.perCm2(), 1e-9);
        assertEquals("um^2", s.areaUnit());
        assertEquals(1500, s.medianArea(), 1e-9);
        assertEquals(500, s.areaHistogram().get(1).from(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> PoreSummary.of(pores, roi, 0.0));
    }

    @Test
    void noPores() {
        PoreSummary s = PoreSummary.of(List.of(), Mask.full(10, 10));
        assertEquals(0, s.count());
        assertEquals(0, s.medianArea());
        assertEquals(0, s.poreFraction());
    }
}
