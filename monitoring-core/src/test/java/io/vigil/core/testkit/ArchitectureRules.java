package io.vigil.core.testkit;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * DESIGN.md's dependency rules as ArchUnit rules, shared through core's test-jar so that every module runs
 * them against its own classes: adapters never depend on each other, core never depends on an adapter,
 * nothing depends on Spring, and only the declared entry points (with their nested builders and value
 * types) are public.
 */
public final class ArchitectureRules {

    /** The base package of every Vigil module other than core. */
    public static final List<String> MODULE_PACKAGES = List.of(
            "io.vigil.servlet", "io.vigil.jdbc", "io.vigil.redis", "io.vigil.health", "io.vigil.alerts");

    private ArchitectureRules() {
    }

    /** Classes under {@code ownPackage} use no other module's package (core is always allowed). */
    public static ArchRule dependsOnNoOtherModule(String ownPackage) {
        List<String> others = new ArrayList<>();
        for (String module : MODULE_PACKAGES) {
            if (!module.equals(ownPackage)) {
                others.add(module + "..");
            }
        }
        return noClasses().that().resideInAPackage(ownPackage + "..")
                .should().dependOnClassesThat().resideInAnyPackage(others.toArray(new String[0]))
                .because("adapters never depend on each other and core never depends on an adapter (DESIGN.md)");
    }

    public static ArchRule noSpring() {
        return noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .because("nothing in Vigil depends on Spring (DESIGN.md)");
    }

    /**
     * Top-level public types under {@code rootPackage} are exactly those in {@code allowed} (simple names);
     * public nested types are allowed only inside an allowed type.
     */
    public static ArchRule publicTypesAreOnly(String rootPackage, Set<String> allowed) {
        DescribedPredicate<JavaClass> declaredPublicApi = new DescribedPredicate<>("declared public API " + allowed) {
            @Override
            public boolean test(JavaClass type) {
                JavaClass outermost = type;
                while (outermost.getEnclosingClass().isPresent()) {
                    outermost = outermost.getEnclosingClass().get();
                }
                return allowed.contains(outermost.getSimpleName());
            }
        };
        return classes().that().resideInAPackage(rootPackage + "..").and().haveModifier(JavaModifier.PUBLIC)
                .and().areNotAnonymousClasses()
                .should(com.tngtech.archunit.lang.conditions.ArchConditions.be(declaredPublicApi))
                .because("implementation classes stay package-private; the public API is small (DESIGN.md)");
    }
}
