package dev.porescope.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.porescope.core.testing.PackageCycles;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No package of porescope-cli depends on itself through others (ArchUnit): commands depend on the
 * helpers ({@code support}, {@code io}, {@code models}, {@code analyze}, {@code report}), never the
 * reverse, and only {@link Main} lists the commands. porescope-core has its own.
 */
class PackageCyclesTest {

    @Test
    void cliPackagesFormNoCycle() {
        JavaClasses cli = PackageCycles.mainClassesOf(Main.class);
        assertTrue(cli.size() > 50, "only " + cli.size() + " classes imported: the check would see nothing");
        PackageCycles.FREE_OF_CYCLES.check(cli);
    }
}
