package io.vigil.alerts;

import io.vigil.alerts.promql.Labels;

/** Where rules write back what Prometheus would append to its storage: recorded series and {@code ALERTS}. */
interface RuleOutput {

    /** A sample at the evaluation time; rules later in the same group and later evaluations read it. */
    void record(Labels labels, double value);

    /** The series ended (its rule stopped producing it): Prometheus' staleness marker. */
    void stale(Labels labels);
}
