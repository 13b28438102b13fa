package io.vigil.alerts;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.vigil.core.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

import java.util.Set;

class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS) // our classes only: fast
            .importPackages("io.vigil.alerts");

    @Test
    void dependsOnNoOtherModule() {
        ArchitectureRules.dependsOnNoOtherModule("io.vigil.alerts").check(classes);
    }

    @Test
    void noSpring() {
        ArchitectureRules.noSpring().check(classes);
    }

    @Test
    void publicApiIsSmall() {
        ArchitectureRules.publicTypesAreOnly("io.vigil.alerts", Set.of(
                // DESIGN.md's entry points of the module
                "AlertEngine", "AlertRule", "RuleFiles", "NotificationChannel", "AlertManager", "AlertsServlet",
                // their value types and builders: what channels send, escalation levels
                "AlertNotification", "EscalationPolicy",
                // promql: the contract the rule engine and the series store code against
                "Expression", "SeriesSource", "Series", "Labels", "LabelMatcher", "Value", "PromQLException"))
                .check(classes);
    }
}
