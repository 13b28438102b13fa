package io.vigil.redis;

import io.micrometer.core.instrument.Timer;

import java.util.function.UnaryOperator;

/**
 * The histogram choice for {@code db.client.operation.duration}. Off by default: one timer per command
 * name and outcome is already a few dozen series, and buckets multiply that by about seventy.
 */
final class OperationTimerOptions implements UnaryOperator<Timer.Builder> {

    private final boolean histogram;

    OperationTimerOptions(boolean histogram) {
        this.histogram = histogram;
    }

    @Override
    public Timer.Builder apply(Timer.Builder builder) {
        return histogram ? builder.publishPercentileHistogram() : builder;
    }
}
