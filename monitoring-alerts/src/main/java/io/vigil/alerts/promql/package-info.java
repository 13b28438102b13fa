/**
 * A documented subset of PromQL with Prometheus' semantics: parser, evaluator and the storage SPI it reads.
 *
 * <p>Contract shared by the rest of {@code monitoring-alerts}:
 * <ul>
 *   <li>{@link io.vigil.alerts.promql.Expression#parse(String)} parses (and rejects anything outside the
 *       subset, naming the construct and its position);</li>
 *   <li>{@link io.vigil.alerts.promql.Expression#evaluate(long, SeriesSource)} evaluates at one instant
 *       against a {@link io.vigil.alerts.promql.SeriesSource} (the in-process series store, or a test's
 *       series);</li>
 *   <li>{@link io.vigil.alerts.promql.Expression#lookback()} tells a store how much history the expression
 *       reads, so ring buffers are sized to the longest range any rule asks for.</li>
 * </ul>
 * Timestamps are milliseconds since the epoch, as in Prometheus.
 */
package io.vigil.alerts.promql;
