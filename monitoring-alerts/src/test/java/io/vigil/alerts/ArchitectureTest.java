package io.vigil.alerts;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.vigil.core.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

import java.util.Set;

class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.vigil.alerts");

    @Test
    void dependsOnNoOtherModule() {
        ArchitectureRules.dependsOnNoOtherModule("io.vigil.alerts").check(CLASSES);
    }

    @Test
    void noSpring() {
        ArchitectureRules.noSpring().check(CLASSES);
    }

    /**
     * The engine, its rules and rule files, plus the PromQL contract types the engine and a custom
     * {@code SeriesSource} need across packages.
     */
    @Test
    void publicApiIsTheEngineTheRulesAndThePromqlContract() {
        ArchitectureRules.publicTypesAreOnly("io.vigil.alerts", Set.of("AlertEngine", "AlertRule", "RuleFiles",
                // io.vigil.alerts.promql: the contract between the evaluator and the rest of the module
                "Expression", "SeriesSource", "Series", "Labels", "LabelMatcher", "Value", "PromQLException"))
                .check(CLASSES);
    }
}
