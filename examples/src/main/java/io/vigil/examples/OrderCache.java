package io.vigil.examples;

import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Orders cached in Redis as their JSON body. A cache is an optimisation: when Redis fails the service
 * answers from the database (the failure still shows in the command error rate and in readiness), and
 * without Redis at all ({@link #none()}) every read is a miss.
 */
final class OrderCache {

    private static final Logger LOG = LoggerFactory.getLogger(OrderCache.class);
    private static final Duration TTL = Duration.ofMinutes(5);

    private final RedisCommands<String, String> redis;

    OrderCache(RedisCommands<String, String> redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
    }

    private OrderCache() {
        this.redis = null;
    }

    /** No cache: where no Redis can be had, the service still runs, on the database alone. */
    static OrderCache none() {
        return new OrderCache();
    }

    /** The cached body, or empty on a miss or when Redis cannot answer. */
    Optional<String> get(UUID id) {
        if (redis == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(redis.get(key(id)));
        } catch (RedisException e) {
            LOG.debug("Cache read failed, reading the database: {}", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    void put(Order order) {
        if (redis == null) {
            return;
        }
        try {
            redis.set(key(order.id()), order.toJson(), SetArgs.Builder.ex(TTL));
        } catch (RedisException e) {
            LOG.debug("Cache write failed: {}", e.getClass().getSimpleName());
        }
    }

    private static String key(UUID id) {
        return "order:" + id;
    }
}
