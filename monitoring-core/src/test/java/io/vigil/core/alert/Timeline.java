package io.vigil.core.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A fake clock driving a {@link CorrelationEngine} the way a runtime scheduler would: {@link #advanceTo} ticks at
 * every instant {@link CorrelationEngine#nextTickAt()} names up to the target, then at the target, and records every
 * notification with the time it was emitted. No sleeps.
 */
final class Timeline {

    static final Instant T0 = Instant.parse("2026-12-02T04:00:00Z");

    final CorrelationEngine engine;
    final List<Notification> sent = new ArrayList<>();
    Instant now = T0;

    Timeline(CorrelationEngine engine) {
        this.engine = engine;
    }

    static Instant at(Duration offset) {
        return T0.plus(offset);
    }

    static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    static Duration m(long minutes) {
        return Duration.ofMinutes(minutes);
    }

    /** Ticks through every due timer up to {@code T0 + offset}; returns what was emitted meanwhile. */
    List<Notification> advanceTo(Duration offset) {
        Instant target = T0.plus(offset);
        if (target.isBefore(now)) {
            throw new IllegalArgumentException("time goes forward: " + target + " < " + now);
        }
        int before = sent.size();
        while (true) {
            Optional<Instant> next = engine.nextTickAt();
            if (next.isEmpty() || next.get().isAfter(target)) {
                break;
            }
            now = next.get().isAfter(now) ? next.get() : now;
            sent.addAll(engine.tick(now));
        }
        now = target;
        sent.addAll(engine.tick(now));
        return List.copyOf(sent.subList(before, sent.size()));
    }

    void receive(Alert... alerts) {
        for (Alert alert : alerts) {
            engine.receive(alert, now);
        }
    }

    /** Offsets from T0 at which notifications were emitted. */
    List<Duration> sendTimes() {
        List<Duration> out = new ArrayList<>();
        for (Notification n : sent) {
            out.add(Duration.between(T0, n.at()));
        }
        return out;
    }

    static List<String> names(List<Alert> alerts) {
        List<String> out = new ArrayList<>();
        for (Alert a : alerts) {
            out.add(a.labels().getOrDefault("instance", a.name()));
        }
        return out;
    }
}
