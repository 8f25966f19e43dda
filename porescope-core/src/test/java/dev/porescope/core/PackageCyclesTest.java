package dev.porescope.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.porescope.core.testing.PackageCycles;
import dev.porescope.core.testing.cycle.Egg;
import dev.porescope.core.testing.cycle.a.Chicken;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No package of porescope-core depends on itself through others (ArchUnit). */
class PackageCyclesTest {

    @Test
    void corePackagesFormNoCycle() {
        JavaClasses core = PackageCycles.mainClassesOf(dev.porescope.core.pipeline.PoreAnalyzer.class);
        assertTrue(core.size() > 50, "only " + core.size() + " classes imported: the check would see nothing");
        PackageCycles.FREE_OF_CYCLES.check(core);
    }

    @Test
    void theRuleCatchesACycle() {
        // a test package and its subpackage that use each other: the same rule must fail on them
        JavaClasses cycle = new ClassFileImporter().importClasses(Chicken.class, Egg.class);
        EvaluationResult result = PackageCycles.FREE_OF_CYCLES.evaluate(cycle);
        assertTrue(result.hasViolation(), "the rule let a cycle through");
        String report = result.getFailureReport().toString();
        assertTrue(report.contains("testing.cycle.a") && report.contains("Egg") && report.contains("Chicken"), report);
        assertFalse(cycle.isEmpty());
    }
}
