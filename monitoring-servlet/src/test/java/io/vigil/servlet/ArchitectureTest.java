package io.vigil.servlet;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.vigil.core.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

import java.util.Set;

/** DESIGN.md's rules for this module: no other adapter, no Spring, a public API of three entry points. */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.vigil.servlet");

    @Test
    void dependsOnNoOtherModule() {
        ArchitectureRules.dependsOnNoOtherModule("io.vigil.servlet").check(classes);
    }

    @Test
    void doesNotDependOnSpring() {
        ArchitectureRules.noSpring().check(classes);
    }

    @Test
    void publicTypesAreTheEntryPoints() {
        ArchitectureRules.publicTypesAreOnly("io.vigil.servlet",
                Set.of("MonitoringFilter", "MetricsServlet", "HealthServlet")).check(classes);
    }
}
