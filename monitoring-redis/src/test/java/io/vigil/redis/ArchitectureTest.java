package io.vigil.redis;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.vigil.core.testkit.ArchitectureRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * DESIGN.md's module rules, plus this module's own: the Lettuce side never touches Jedis, the Jedis side
 * never touches Lettuce, and the shared classes (RedisHealthCheck included) touch neither, so each client
 * works without the other on the class path. Only RedisHealthCheck.Builder names both clients, in its
 * methods' signatures; {@link OptionalClientTest} proves it links and works with either one alone.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.vigil.redis");
    }

    @Test
    void dependsOnNoOtherModule() {
        ArchitectureRules.dependsOnNoOtherModule("io.vigil.redis").check(classes);
    }

    @Test
    void noSpring() {
        ArchitectureRules.noSpring().check(classes);
    }

    @Test
    void publicTypesAreOnlyTheEntryPoints() {
        ArchitectureRules.publicTypesAreOnly("io.vigil.redis",
                Set.of("LettuceMonitoring", "JedisMonitoring", "RedisHealthCheck")).check(classes);
    }

    @Test
    void lettuceSideNeverTouchesJedis() {
        noClasses().that().haveNameMatching("io\\.vigil\\.redis\\.Lettuce.*")
                .should().dependOnClassesThat().resideInAPackage("redis.clients..").check(classes);
    }

    @Test
    void jedisSideNeverTouchesLettuce() {
        noClasses().that().haveNameMatching("io\\.vigil\\.redis\\.Jedis.*")
                .should().dependOnClassesThat().resideInAPackage("io.lettuce..").check(classes);
    }

    @Test
    void sharedClassesTouchNeitherClient() {
        noClasses().that().resideInAPackage("io.vigil.redis")
                .and().haveNameNotMatching("io\\.vigil\\.redis\\.(Lettuce|Jedis).*")
                .and().doNotHaveFullyQualifiedName("io.vigil.redis.RedisHealthCheck$Builder")
                .should().dependOnClassesThat().resideInAnyPackage("io.lettuce..", "redis.clients..")
                .check(classes);
    }
}
