package io.vigil.redis;

import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.vigil.core.health.HealthCheck;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Health of a Redis server seen through the application's own client: one {@code PING}, UP with its
 * latency ({@code latencyMs}) when the server answers within the timeout, DOWN otherwise. A check never
 * takes longer than its timeout, even when Redis hangs or the network drops packets.
 *
 * <pre>{@code
 * HealthCheck redis = RedisHealthCheck.lettuce(connection.async(), Duration.ofSeconds(1));
 * HealthCheck redis = RedisHealthCheck.jedis(jedisClient, Duration.ofSeconds(1));
 * }</pre>
 *
 * <p>Works with either client; only the one used needs to be on the class path: each factory method's
 * implementation lives in its own class, loaded when that method is first called. The PING goes through
 * the given client, so with an instrumented client it is counted as {@code db.operation=PING}.
 */
public final class RedisHealthCheck implements HealthCheck {

    /** The timeout the factory methods without one use. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    private final Pinger pinger;
    private final Duration timeout;

    private RedisHealthCheck(Pinger pinger, Duration timeout) {
        this.pinger = pinger;
        this.timeout = checkTimeout(timeout);
    }

    /** A check that pings through Lettuce ({@code connection.async()} of a standalone or cluster connection). */
    public static RedisHealthCheck lettuce(BaseRedisAsyncCommands<?, ?> commands) {
        return lettuce(commands, DEFAULT_TIMEOUT);
    }

    public static RedisHealthCheck lettuce(BaseRedisAsyncCommands<?, ?> commands, Duration timeout) {
        Objects.requireNonNull(commands, "commands");
        return new RedisHealthCheck(new LettucePinger(commands), timeout);
    }

    /** A check that pings through Jedis ({@code RedisClient}, {@code RedisClusterClient}, any UnifiedJedis). */
    public static RedisHealthCheck jedis(UnifiedJedis jedis) {
        return jedis(jedis, DEFAULT_TIMEOUT);
    }

    public static RedisHealthCheck jedis(UnifiedJedis jedis, Duration timeout) {
        Objects.requireNonNull(jedis, "jedis");
        return new RedisHealthCheck(new JedisPinger(jedis), timeout);
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public HealthResult check() {
        long start = System.nanoTime();
        try {
            String reply = pinger.ping(timeout);
            double latencyMs = (System.nanoTime() - start) / (double) TimeUnit.MILLISECONDS.toNanos(1);
            if (!"PONG".equalsIgnoreCase(reply)) {
                return HealthResult.builder(HealthStatus.DOWN).detail("latencyMs", latencyMs)
                        .detail("error", "unexpected PING reply").build();
            }
            return HealthResult.builder(HealthStatus.UP).detail("latencyMs", latencyMs).build();
        } catch (TimeoutException e) {
            return HealthResult.builder(HealthStatus.DOWN)
                    .detail("error", "no PING reply within " + timeout.toMillis() + " ms").build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthResult.builder(HealthStatus.DOWN).detail("error", "interrupted").build();
        } catch (Exception e) {
            return HealthResult.down(e);
        }
    }

    private static Duration checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return timeout;
    }
}
