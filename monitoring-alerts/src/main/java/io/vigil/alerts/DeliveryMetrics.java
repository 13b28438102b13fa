package io.vigil.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vigil.core.catalog.MetricCatalog;

/**
 * One channel's meters, registered once: {@code alerts.notifications{channel,outcome}} for each outcome and
 * {@code alerts.notification.duration{channel}} for each attempt. Outcomes: {@code success}, {@code error} (a
 * failed attempt, retried), {@code rejected} (permanent failure), {@code expired} (given up after the maximum
 * age), {@code dropped} (a full queue), {@code duplicate} (already sent or pending under its idempotency key).
 */
final class DeliveryMetrics {

    final Counter success;
    final Counter error;
    final Counter rejected;
    final Counter expired;
    final Counter dropped;
    final Counter duplicate;
    final Timer duration;

    DeliveryMetrics(MeterRegistry registry, String channel) {
        success = counter(registry, channel, LogEntry.SENT);
        error = counter(registry, channel, "error");
        rejected = counter(registry, channel, LogEntry.REJECTED);
        expired = counter(registry, channel, LogEntry.EXPIRED);
        dropped = counter(registry, channel, LogEntry.DROPPED);
        duplicate = counter(registry, channel, "duplicate");
        duration = MetricCatalog.ALERTS_NOTIFICATION_DURATION.timer(registry, Tags.of("channel", channel));
    }

    private static Counter counter(MeterRegistry registry, String channel, String outcome) {
        return MetricCatalog.ALERTS_NOTIFICATIONS.counter(registry, Tags.of("channel", channel, "outcome", outcome));
    }
}
