package io.vigil.core.health;

import java.util.Optional;

/**
 * What a health endpoint reads. Implementations answer from results already computed, so every method
 * returns promptly whatever the checks are doing ({@code io.vigil.health.HealthRegistry} is the runtime).
 */
public interface HealthSource {

    /** Group names of the Kubernetes probes. */
    String LIVENESS = "liveness";
    String READINESS = "readiness";
    String STARTUP = "startup";

    /** Every check. */
    HealthReport health();

    /** The checks of one group ({@link #LIVENESS}, {@link #READINESS}, {@link #STARTUP} or custom). */
    Optional<HealthReport> group(String group);

    /** One check by name. */
    Optional<HealthResult> check(String name);
}
