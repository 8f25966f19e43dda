package dev.porescope.core.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import java.net.URISyntaxException;
import java.nio.file.Path;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package-cycle rule (ArchUnit): every package under {@code dev.porescope} is its own slice,
 * and no slice may reach itself again through others. Each module's {@code PackageCyclesTest}
 * checks its own main classes with it.
 */
public final class PackageCycles {
    private PackageCycles() { }

    /** Every package its own slice ({@code dev.porescope.cli} and {@code dev.porescope.cli.commands} apart). */
    public static final ArchRule FREE_OF_CYCLES = slices().matching("dev.porescope.(**)").should().beFreeOfCycles();

    /**
     * The main classes of the module that holds {@code anyMainClass}, read from its own class folder
     * or jar: the class path's other jars (libtorch, Spark) stay out, which keeps the check quick.
     */
    public static JavaClasses mainClassesOf(Class<?> anyMainClass) {
        try {
            Path location = Path.of(anyMainClass.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPath(location);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
