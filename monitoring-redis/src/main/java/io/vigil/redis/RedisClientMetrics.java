package io.vigil.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vigil.core.cardinality.CardinalityGuard;
import io.vigil.core.cardinality.TagLimiter;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.internal.InternalErrors;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * The client-side meters one instrumented Redis client records into, shared by the Lettuce and the Jedis
 * adapters and free of both: command timers by command name, cache reads and writes, connection events.
 *
 * <p>Command names come from the client's protocol command enum: the adapter passes the constant's ordinal
 * and {@link #meters(int)} finds the meters in an array, so the hot path neither hashes nor allocates.
 * Commands outside the enum (modules, custom {@code dispatch}) share the {@code OTHER} meters, so a
 * command name is never taken from the wire and never from a key.
 */
final class RedisClientMetrics {

    static final String OTHER = CardinalityGuard.OVERFLOW;

    private final MeterRegistry registry;
    private final String namespace;
    private final OperationTimerOptions timerOptions;
    private final TagLimiter errorTypes;
    private final IntFunction<String> commandNames;
    private final AtomicReferenceArray<CommandMeters> byOrdinal;
    private final CommandMeters other;
    private final InternalErrors internalErrors;

    private final Counter hits;
    private final Counter misses;
    private final Counter puts;
    private final Counter connects;
    private final Counter disconnects;
    private final Counter reconnects;

    /**
     * @param commandCount the number of constants in the client's command enum
     * @param commandNames the name of the constant with a given ordinal
     */
    RedisClientMetrics(MeterRegistry registry, String component, String namespace, String cacheName,
            boolean histogram, int commandCount, IntFunction<String> commandNames) {
        this.registry = registry;
        this.namespace = namespace;
        this.timerOptions = new OperationTimerOptions(histogram);
        this.errorTypes = CardinalityGuard.create(registry)
                .limiter(MetricCatalog.DB_CLIENT_OPERATION_DURATION, "error.type");
        this.commandNames = commandNames;
        this.byOrdinal = new AtomicReferenceArray<>(commandCount);
        this.internalErrors = InternalErrors.forComponent(registry, component);
        Tags cache = Tags.of("cache", cacheName);
        this.hits = MetricCatalog.CACHE_GETS.counter(registry, cache.and("result", "hit"));
        this.misses = MetricCatalog.CACHE_GETS.counter(registry, cache.and("result", "miss"));
        this.puts = MetricCatalog.CACHE_PUTS.counter(registry, cache);
        this.connects = MetricCatalog.REDIS_CONNECTION_EVENTS.counter(registry, Tags.of("event", "connect"));
        this.disconnects = MetricCatalog.REDIS_CONNECTION_EVENTS.counter(registry, Tags.of("event", "disconnect"));
        this.reconnects = MetricCatalog.REDIS_CONNECTION_EVENTS.counter(registry, Tags.of("event", "reconnect"));
        this.other = new CommandMeters(this, OTHER);
    }

    /** The meters of the enum constant with {@code ordinal}; created on first use, then one array read. */
    CommandMeters meters(int ordinal) {
        if (ordinal < 0 || ordinal >= byOrdinal.length()) {
            return other;
        }
        CommandMeters meters = byOrdinal.get(ordinal);
        if (meters == null) {
            // Racing threads may both build one; registration is idempotent, so both get the same timers.
            meters = new CommandMeters(this, commandNames.apply(ordinal));
            if (!byOrdinal.compareAndSet(ordinal, null, meters)) {
                meters = byOrdinal.get(ordinal);
            }
        }
        return meters;
    }

    /** The meters commands outside the client's command enum share. */
    CommandMeters other() {
        return other;
    }

    Timer timer(String operation, String outcome, String errorType) {
        return MetricCatalog.DB_CLIENT_OPERATION_DURATION.timer(registry,
                CommandMeters.tags(namespace, operation, outcome, errorType), timerOptions);
    }

    String errorType(String simpleName) {
        return errorTypes.limit(simpleName.isEmpty() ? "Exception" : simpleName);
    }

    void hit() {
        hits.increment();
    }

    void miss() {
        misses.increment();
    }

    void lookups(int hitCount, int missCount) {
        if (hitCount > 0) {
            hits.increment(hitCount);
        }
        if (missCount > 0) {
            misses.increment(missCount);
        }
    }

    void puts(int count) {
        if (count > 0) {
            puts.increment(count);
        }
    }

    void connected() {
        connects.increment();
    }

    void disconnected() {
        disconnects.increment();
    }

    void reconnected() {
        reconnects.increment();
    }

    InternalErrors internalErrors() {
        return internalErrors;
    }
}
