package io.vigil.health;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.vigil.core.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

import java.util.Set;

class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.vigil.health");

    @Test
    void dependsOnNoOtherModule() {
        ArchitectureRules.dependsOnNoOtherModule("io.vigil.health").check(classes);
    }

    @Test
    void noSpring() {
        ArchitectureRules.noSpring().check(classes);
    }

    @Test
    void publicApiIsSmall() {
        ArchitectureRules.publicTypesAreOnly("io.vigil.health",
                Set.of("HealthRegistry", "CheckOptions", "HealthStatusListener", "HealthChecks", "SystemMetrics"))
                .check(classes);
    }
}
