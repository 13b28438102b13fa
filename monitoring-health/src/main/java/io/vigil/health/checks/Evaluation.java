package io.vigil.health.checks;

import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects measured values and the worst status their thresholds give, into one result whose details say
 * which limit was crossed: {@code {"systemCpu":0.97,"systemCpuLimits":"DEGRADED 0.9, DOWN 0.98","crossed":["systemCpu"]}}.
 */
final class Evaluation {

    private final HealthResult.Builder result = HealthResult.builder(HealthStatus.UP);
    private final List<String> crossed = new ArrayList<>();
    private HealthStatus status = HealthStatus.UP;

    Evaluation measure(Threshold threshold, double value) {
        result.detail(threshold.name(), round(value));
        HealthStatus measured = threshold.evaluate(value);
        if (measured != HealthStatus.UP) {
            crossed.add(threshold.name());
            result.detail(threshold.name() + "Limits", limits(threshold));
        }
        status = status.worst(measured);
        return this;
    }

    Evaluation status(HealthStatus other) {
        status = status.worst(other);
        return this;
    }

    Evaluation detail(String key, Object value) {
        result.detail(key, value);
        return this;
    }

    HealthResult build() {
        if (!crossed.isEmpty()) {
            result.detail("crossed", List.copyOf(crossed));
        }
        return result.status(status).build();
    }

    static Object round(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        return Math.round(value * 10_000) / 10_000.0;
    }

    /** Milliseconds since {@code startNanos}, to two decimals: the latency detail of probing checks. */
    static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 10_000 / 100.0;
    }

    private static String limits(Threshold threshold) {
        return "DEGRADED " + threshold.degraded() + ", DOWN " + threshold.down();
    }
}
