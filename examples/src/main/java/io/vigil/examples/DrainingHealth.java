package io.vigil.examples;

import io.vigil.core.health.HealthReport;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthSource;
import io.vigil.core.health.HealthStatus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The health the probes read, plus the service's own lifecycle: once shutdown begins, readiness (and the
 * overall status) answer OUT_OF_SERVICE (503) at once, without waiting for a check to run, so a load balancer
 * stops sending traffic while requests are still served. Liveness is untouched: a draining process must not be
 * restarted.
 */
final class DrainingHealth implements HealthSource {

    static final String COMPONENT = "shutdown";
    private static final HealthResult SHUTTING_DOWN = HealthResult.builder(HealthStatus.OUT_OF_SERVICE)
            .detail("reason", "the service is shutting down").build();

    private final HealthSource checks;
    private volatile boolean draining;

    DrainingHealth(HealthSource checks) {
        this.checks = checks;
    }

    /** From now on readiness answers 503. */
    void startDraining() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    @Override
    public HealthReport health() {
        return draining ? outOfService(checks.health()) : checks.health();
    }

    @Override
    public Optional<HealthReport> group(String group) {
        Optional<HealthReport> report = checks.group(group);
        return draining && READINESS.equals(group) ? report.map(DrainingHealth::outOfService) : report;
    }

    @Override
    public Optional<HealthResult> check(String name) {
        return draining && COMPONENT.equals(name) ? Optional.of(SHUTTING_DOWN) : checks.check(name);
    }

    private static HealthReport outOfService(HealthReport report) {
        Map<String, HealthResult> components = new LinkedHashMap<>(report.components());
        components.put(COMPONENT, SHUTTING_DOWN);
        return new HealthReport(report.status().worst(HealthStatus.OUT_OF_SERVICE), components);
    }
}
