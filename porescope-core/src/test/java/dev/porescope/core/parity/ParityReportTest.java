package dev.porescope.core.parity;

import dev.porescope.core.baseline.DogModel;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.metrics.Agreement;
import dev.porescope.core.pipeline.PoreAnalyzer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class ParityReportTest {

    @Test
    void diceCountsOnlyInsideTheRoiAndTwoEmptyMasksAgree() {
        Mask a = new Mask(4, 1, new boolean[]{true, true, false, true});
        Mask b = new Mask(4, 1, new boolean[]{true, false, false, true});
        // brute force: overlap 2, sizes 3 and 2 -> 4/5
        assertEquals(0.8, ParityReport.dice(a, b, Mask.full(4, 1)), 1e-12);
        Mask firstTwo = new Mask(4, 1, new boolean[]{true, true, false, false});
        assertEquals(2.0 / 3, ParityReport.dice(a, b, firstTwo), 1e-12);
        assertEquals(1.0, ParityReport.dice(new Mask(4, 1), new Mask(4, 1), Mask.full(4, 1)));
    }

    @Test
    void aModelAgreesFullyWithItselfAndTheSummaryIsTable3() {
        Plane luma = new Plane(64, 48);
        Random random = new Random(3);
        for (int i = 0; i < luma.values().length; i++) luma.values()[i] = 0.6f + 0.05f * (float) random.nextGaussian();
        for (int k = 0; k < 6; k++) luma.set(8 + 9 * k, 20, 0.1f);
        PoreAnalyzer analyzer = new PoreAnalyzer(DogModel.defaults());
        Mask label = new Mask(64, 48);
        label.set(8, 20, true);
        ParityReport.Comparison c = ParityReport.compare("a", analyzer, analyzer, luma, label, null);
        assertEquals(1.0, c.row().agreement());
        assertEquals(0.0, c.row().maxProbabilityDifference());
        assertEquals(c.row().serverPores(), c.row().devicePores());
        assertEquals(c.row().serverDice(), c.row().deviceDice());

        ParityReport report = ParityReport.of(List.of(c.row(),
                new ParityReport.ImageParity("b", 64, 48, 0.5, 3, 2, 0.4, null, null)));
        assertEquals(Agreement.of(new double[]{1.0, 0.5}), report.agreement());
        assertEquals("b", report.worst().name());
        Map<String, Object> json = report.toJson();
        for (String key : List.of("count", "mean", "std", "variance", "min", "max", "per_image")) assertTrue(json.containsKey(key), key);
        assertEquals(2, ((List<?>) json.get("per_image")).size());
        assertEquals(1, report.serverLabelDice().count());
        assertTrue(report.markdown().contains("| agreement | 2 | 0.7500 |"), report.markdown());
    }
}
