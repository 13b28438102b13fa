package io.vigil.core.app;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vigil.core.catalog.MetricCatalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * Counts distinct principals (user ids, account ids, API keys) seen in sliding windows and publishes
 * {@code users.active{window}}. The principal itself is never stored nor used as a tag: only a hash
 * feeds a fixed-size sketch (16 KiB per window, ≈1.2% standard error).
 */
public final class ActiveUsers {

    public static final List<Duration> DEFAULT_WINDOWS = List.of(Duration.ofMinutes(5), Duration.ofHours(1));

    /**
     * The instance each registry publishes: {@code users.active{window}} is one gauge per window, and Micrometer
     * would silently keep the first gauge of a second registration, so every caller (the servlet filter,
     * {@link ApplicationMetrics}) must feed the same sketch. Weak keys: a registry is not kept alive by this.
     */
    private static final Map<MeterRegistry, ActiveUsers> BY_REGISTRY = new WeakHashMap<>();

    private final Map<String, SlidingDistinctCounter> windows;
    private final SlidingDistinctCounter[] counters; // iterated on the hot path without an iterator
    private final Clock clock;

    private ActiveUsers(Map<String, SlidingDistinctCounter> windows, Clock clock) {
        this.windows = windows;
        this.clock = clock;
        this.counters = windows.values().toArray(new SlidingDistinctCounter[0]);
    }

    /** Active users over 5 minutes and 1 hour; the registry's existing instance if it has one. */
    public static ActiveUsers register(MeterRegistry registry) {
        return register(registry, DEFAULT_WINDOWS);
    }

    /**
     * Active users over {@code windows}. A registry has one instance: registering again with the same windows
     * returns it, with other windows fails (share the first instance instead).
     */
    public static ActiveUsers register(MeterRegistry registry, List<Duration> windows) {
        return register(registry, windows, registry.config().clock());
    }

    static ActiveUsers register(MeterRegistry registry, List<Duration> windows, Clock clock) {
        Objects.requireNonNull(registry, "registry");
        synchronized (BY_REGISTRY) {
            ActiveUsers existing = BY_REGISTRY.get(registry);
            if (existing != null) {
                List<String> names = new ArrayList<>();
                windows.forEach(window -> names.add(windowName(window)));
                if (!existing.windows().equals(names)) {
                    throw new IllegalStateException("users.active is already published on this registry with windows "
                            + existing.windows() + "; register it once and share that ActiveUsers");
                }
                return existing;
            }
            ActiveUsers created = create(registry, windows, clock);
            BY_REGISTRY.put(registry, created);
            return created;
        }
    }

    private static ActiveUsers create(MeterRegistry registry, List<Duration> windows, Clock clock) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("At least one window is needed");
        }
        Map<String, SlidingDistinctCounter> counters = new LinkedHashMap<>();
        for (Duration window : windows) {
            if (window.compareTo(Duration.ofSeconds(4)) < 0 || window.compareTo(Duration.ofDays(31)) > 0) {
                throw new IllegalArgumentException("An active-users window must be between 4 s and 31 days, was "
                        + window);
            }
            String name = windowName(window);
            if (counters.put(name, new SlidingDistinctCounter(clock, window.toNanos())) != null) {
                throw new IllegalArgumentException("Window listed twice: " + window);
            }
        }
        counters.forEach((name, counter) -> MetricCatalog.USERS_ACTIVE.gauge(registry, Tags.of("window", name),
                counter, SlidingDistinctCounter::estimate));
        return new ActiveUsers(Collections.unmodifiableMap(counters), clock);
    }

    /** Records that {@code principal} was active now. Null or empty principals (anonymous) are ignored. */
    public void seen(String principal) {
        if (principal != null && !principal.isEmpty()) {
            seen(principal, clock.monotonicTime());
        }
    }

    /**
     * Records that {@code principal} was active at {@code monotonicNanos}, a reading of the registry clock's
     * {@link Clock#monotonicTime()} the caller already took (an adapter timing a request), saving a clock read.
     */
    public void seen(String principal, long monotonicNanos) {
        if (principal == null || principal.isEmpty()) {
            return;
        }
        long hash = SlidingDistinctCounter.hash(principal);
        for (SlidingDistinctCounter counter : counters) {
            counter.addHash(hash, monotonicNanos);
        }
    }

    /** The current estimate for the window named as in the tag ({@code 5m}, {@code 1h}). */
    public long estimate(String window) {
        SlidingDistinctCounter counter = windows.get(window);
        if (counter == null) {
            throw new IllegalArgumentException("No window " + window + "; windows are " + windows.keySet());
        }
        return counter.estimate();
    }

    public List<String> windows() {
        return new ArrayList<>(windows.keySet());
    }

    /** {@code 90s}, {@code 5m}, {@code 1h}, {@code 1d}: the largest unit that divides the window. */
    static String windowName(Duration window) {
        long seconds = window.getSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
