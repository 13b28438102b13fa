package io.vigil.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.vigil.core.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class CoreArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.vigil.core");

    @Test
    void coreDependsOnNoAdapter() {
        ArchitectureRules.dependsOnNoOtherModule("io.vigil.core").check(CORE);
    }

    @Test
    void nothingDependsOnSpring() {
        ArchitectureRules.noSpring().check(CORE);
    }

    @Test
    void coreUsesOnlyMicrometerSlf4jAndRe2j() {
        noClasses().should().dependOnClassesThat().resideOutsideOfPackages(
                "io.vigil.core..", "io.micrometer..", "io.prometheus..", "org.slf4j..", "com.google.re2j..", "java..",
                "javax.annotation..")
                .check(CORE);
    }

    @Test
    void onlyTheDeclaredApiIsPublic() {
        ArchitectureRules.publicTypesAreOnly("io.vigil.core", Set.of(
                "MeterType", "MeterDefinition", "MetricCatalog", "CommonTags",
                "CardinalityGuard", "CardinalityLimits", "TagLimiter",
                "PathNormalizer", "HttpOutcome", "HttpMethods", "HttpStatusTag", "SqlOperation",
                "ActiveUsers", "ApplicationMetrics", "LoginResult",
                "Operations", "Operation",
                "PrometheusExposition", "InternalErrors", "CoarseClock",
                "HealthCheck", "HealthResult", "HealthStatus", "HealthReport", "HealthSource", "HealthJson",
                "Alert", "Matcher", "Silence", "Incident", "CorrelationEngine",
                "Route", "InhibitRule", "DependencyGraph", "Notification"))
                .check(CORE);
    }
}
