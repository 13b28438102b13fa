package io.vigil.health;

import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;

/**
 * Told when a check's status changes. Each transition is delivered once and, per check, in order, on
 * Vigil's own listener thread: a slow or failing listener delays other listeners but never the checks,
 * and what it throws is counted in {@code vigil.internal.errors{component="health"}}, not propagated.
 */
@FunctionalInterface
public interface HealthStatusListener {

    /**
     * @param check    the check's registered name
     * @param previous its status before ({@link HealthStatus#UNKNOWN} before the first run)
     * @param result   the result that changed it
     */
    void onStatusChange(String check, HealthStatus previous, HealthResult result);
}
