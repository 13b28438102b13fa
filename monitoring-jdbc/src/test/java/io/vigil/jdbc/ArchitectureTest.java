package io.vigil.jdbc;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.vigil.core.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.vigil.jdbc");

    @Test
    void dependsOnNoOtherModule() {
        ArchitectureRules.dependsOnNoOtherModule("io.vigil.jdbc").check(CLASSES);
    }

    @Test
    void noSpring() {
        ArchitectureRules.noSpring().check(CLASSES);
    }

    @Test
    void publicApiIsTheDataSourceAndTheHealthCheck() {
        ArchitectureRules.publicTypesAreOnly("io.vigil.jdbc", Set.of("MonitoredDataSource", "DataSourceHealthCheck"))
                .check(CLASSES);
    }

    /** HikariCP is optional: only the guarded pool-gauge class may touch it. */
    @Test
    void onlyHikariPoolTouchesHikari() {
        noClasses().that().doNotHaveSimpleName("HikariPool").should().dependOnClassesThat()
                .resideInAPackage("com.zaxxer..").check(CLASSES);
    }

    /** The statement hot path uses no reflection. */
    @Test
    void noReflection() {
        noClasses().should().dependOnClassesThat().resideInAPackage("java.lang.reflect..").check(CLASSES);
    }
}
