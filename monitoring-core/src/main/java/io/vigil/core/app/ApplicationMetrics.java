package io.vigil.core.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vigil.core.cardinality.CardinalityGuard;
import io.vigil.core.cardinality.TagLimiter;
import io.vigil.core.catalog.MetricCatalog;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What only the application knows: login attempts, business events, active users.
 *
 * <pre>{@code
 * ApplicationMetrics app = ApplicationMetrics.register(registry);
 * app.login(LoginResult.FAILURE);
 * app.event("order.placed");
 * app.userSeen(session.userId());   // never becomes a tag
 * }</pre>
 *
 * Event names pass through the cardinality guard, so a bug that puts ids into event names folds
 * them into {@code OTHER} instead of exploding the series count. Nothing here throws into the caller.
 */
public final class ApplicationMetrics {

    private final MeterRegistry registry;
    private final Map<LoginResult, Counter> logins = new EnumMap<>(LoginResult.class);
    private final TagLimiter eventNames;
    private final ConcurrentMap<String, Counter> events = new ConcurrentHashMap<>();
    private final ActiveUsers activeUsers;

    private ApplicationMetrics(MeterRegistry registry, CardinalityGuard guard, ActiveUsers activeUsers) {
        this.registry = registry;
        for (LoginResult result : LoginResult.values()) {
            logins.put(result, MetricCatalog.SECURITY_LOGIN_ATTEMPTS.counter(registry,
                    Tags.of("result", result.tag())));
        }
        this.eventNames = guard.limiter(MetricCatalog.BUSINESS_EVENTS, "event");
        this.activeUsers = activeUsers;
    }

    public static ApplicationMetrics register(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return register(registry, CardinalityGuard.create(registry), ActiveUsers.register(registry));
    }

    public static ApplicationMetrics register(MeterRegistry registry, CardinalityGuard guard,
            ActiveUsers activeUsers) {
        return new ApplicationMetrics(Objects.requireNonNull(registry, "registry"),
                Objects.requireNonNull(guard, "guard"), Objects.requireNonNull(activeUsers, "activeUsers"));
    }

    public void login(LoginResult result) {
        if (result != null) {
            logins.get(result).increment();
        }
    }

    /** Counts one business event; {@code name} should come from a small fixed set. */
    public void event(String name) {
        String tag = eventNames.limit(name == null || name.isBlank() ? "none" : name);
        Counter counter = events.get(tag);
        if (counter == null) {
            counter = events.computeIfAbsent(tag,
                    event -> MetricCatalog.BUSINESS_EVENTS.counter(registry, Tags.of("event", event)));
        }
        counter.increment();
    }

    public void userSeen(String principal) {
        activeUsers.seen(principal);
    }

    public ActiveUsers activeUsers() {
        return activeUsers;
    }
}
