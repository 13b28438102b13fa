package io.vigil.redis;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one Redis command name ({@code db.operation}): its success timer, created up front, and
 * its error timers by {@code error.type}, created on the first error of each type. A success costs one
 * {@link Timer#record(long, TimeUnit)}: no lookup, no allocation.
 */
final class CommandMeters {

    private final RedisClientMetrics owner;
    private final String operation;
    private final CacheRole role;
    private final Timer success;
    private final ConcurrentMap<Class<?>, Timer> errors = new ConcurrentHashMap<>();

    CommandMeters(RedisClientMetrics owner, String operation) {
        this.owner = owner;
        this.operation = operation;
        this.role = CacheRole.of(operation);
        this.success = owner.timer(operation, "success", "none");
    }

    String operation() {
        return operation;
    }

    CacheRole role() {
        return role;
    }

    void recordSuccess(long nanos) {
        success.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * {@code error.type} is the exception's simple class name (a small set per client), capped by the
     * cardinality guard; the exception message, which may quote keys, is never used.
     */
    void recordError(long nanos, Throwable error) {
        Class<?> type = error == null ? Throwable.class : error.getClass();
        Timer timer = errors.get(type);
        if (timer == null) {
            timer = errors.computeIfAbsent(type,
                    t -> owner.timer(operation, "error", owner.errorType(t.getSimpleName())));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    static Tags tags(String namespace, String operation, String outcome, String errorType) {
        return Tags.of("db.system", "redis", "db.namespace", namespace, "db.operation", operation,
                "outcome", outcome, "error.type", errorType);
    }
}
