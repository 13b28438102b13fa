package io.vigil.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.core.clock.CoarseClock;

/**
 * The registries the suites give each variant: Vigil's as the root README recommends (on {@link CoarseClock}),
 * a peer's as a user of that peer would build it (Micrometer's default clock). The bare variants record nothing.
 */
final class Registries {

    private Registries() {
    }

    /** Vigil's recommended setup. */
    static PrometheusMeterRegistry vigil() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), CoarseClock.shared());
    }

    /** A peer's setup: Micrometer's defaults, {@code Clock.SYSTEM}. */
    static PrometheusMeterRegistry peer() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
