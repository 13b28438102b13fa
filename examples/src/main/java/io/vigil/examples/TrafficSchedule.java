package io.vigil.examples;

import java.time.Duration;
import java.util.List;

/**
 * The traffic tour: phases that make the rule pack's alerts fire and resolve within minutes, so a newcomer sees
 * an incident with its symptoms, a page and its resolution. Requests per second are constant (8: 2 orders placed,
 * 6 read), so each fault is a fixed share of the traffic and the 5-minute rates the rules use recover by dilution
 * once it ends.
 *
 * <pre>
 * 0:00  warm-up        normal traffic
 * 0:30  error burst    1 in 4 order reads answers 500 for 60 s   → VigilHttpHighErrorRatio (critical: pages)
 * 1:30  slow phase     1 in 4 order reads takes 800 ms more, 60 s → VigilHttpHighLatencyP95 (warning)
 * 2:30  Redis outage   the bundled redis-server stopped for 90 s  → OrdersCacheDown (root, pages), then
 *                      VigilRedisDown and VigilHealthCheckDown{check="redis"} as its symptoms
 * 4:00  recovery       normal traffic; every alert resolves by about 6:00
 * 9:00  the generator stops
 * </pre>
 */
record TrafficSchedule(List<Phase> phases) {

    static final int WRITES_PER_SECOND = 2;
    static final int READS_PER_SECOND = 6;

    /** One phase: from {@code start} for {@code length}, with these faults. */
    record Phase(String name, Duration start, Duration length, int failEvery, int slowEvery, Duration slowBy,
                 boolean redisDown, String expect) {

        Duration end() {
            return start.plus(length);
        }
    }

    static TrafficSchedule tour() {
        Duration none = Duration.ZERO;
        return new TrafficSchedule(List.of(
                new Phase("warm-up", Duration.ZERO, Duration.ofSeconds(30), 0, 0, none, false,
                        "normal traffic"),
                new Phase("error burst", Duration.ofSeconds(30), Duration.ofSeconds(60), 4, 0, none, false,
                        "1 in 4 order reads answers 500; VigilHttpHighErrorRatio fires in about a minute and pages"),
                new Phase("slow phase", Duration.ofSeconds(90), Duration.ofSeconds(60), 0, 4, Duration.ofMillis(800),
                        false, "1 in 4 order reads takes 800 ms more; VigilHttpHighLatencyP95 fires"),
                new Phase("Redis outage", Duration.ofSeconds(150), Duration.ofSeconds(90), 0, 0, none, true,
                        "redis-server stopped; OrdersCacheDown pages as the root, VigilRedisDown and the readiness"
                                + " check follow as its symptoms"),
                new Phase("recovery", Duration.ofSeconds(240), Duration.ofMinutes(5), 0, 0, none, false,
                        "normal traffic; every alert resolves within about two minutes")));
    }

    /** The phase at {@code elapsed}, or null once the tour is over. */
    Phase at(Duration elapsed) {
        for (Phase phase : phases) {
            if (elapsed.compareTo(phase.start()) >= 0 && elapsed.compareTo(phase.end()) < 0) {
                return phase;
            }
        }
        return null;
    }

    Duration length() {
        return phases.get(phases.size() - 1).end();
    }
}
