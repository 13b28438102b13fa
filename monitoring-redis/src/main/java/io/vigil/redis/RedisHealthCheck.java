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
 * HealthCheck redis = RedisHealthCheck.builder().lettuce(connection.async()).timeout(Duration.ofSeconds(1)).build();
 * HealthCheck redis = RedisHealthCheck.builder().jedis(jedisClient).build();
 * }</pre>
 *
 * <p>Works with either client, and only the one used needs to be on the class path. The client types
 * appear only in the {@link Builder}'s methods, never in this class, so frameworks that introspect the
 * check's class (bean post-processing) never trip over the absent client; each client's PING lives in its
 * own class, loaded when its builder method is first called. The PING goes through the given client, so
 * with an instrumented client it is counted as {@code db.operation=PING}.
 */
public final class RedisHealthCheck implements HealthCheck {

    /** The timeout when the builder is given none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    private final Pinger pinger;
    private final Duration timeout;

    private RedisHealthCheck(Pinger pinger, Duration timeout) {
        this.pinger = pinger;
        this.timeout = timeout;
    }

    public static Builder builder() {
        return new Builder();
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

    /** Chooses the client to ping through (exactly one) and the timeout. */
    public static final class Builder {
        private Pinger pinger;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder() {
        }

        /** Pings through Lettuce: {@code connection.async()} of a standalone or cluster connection. */
        public Builder lettuce(BaseRedisAsyncCommands<?, ?> commands) {
            Objects.requireNonNull(commands, "commands");
            return client(new LettucePinger(commands));
        }

        /** Pings through Jedis: a {@code RedisClient}, {@code RedisClusterClient} or any {@code UnifiedJedis}. */
        public Builder jedis(UnifiedJedis jedis) {
            Objects.requireNonNull(jedis, "jedis");
            return client(new JedisPinger(jedis));
        }

        /** The longest a check may take; default 1 s. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public RedisHealthCheck build() {
            if (pinger == null) {
                throw new IllegalStateException("RedisHealthCheck needs a client: call lettuce(...) or jedis(...)");
            }
            return new RedisHealthCheck(pinger, timeout);
        }

        private Builder client(Pinger chosen) {
            if (pinger != null) {
                throw new IllegalStateException("RedisHealthCheck pings through one client; already given one");
            }
            this.pinger = chosen;
            return this;
        }
    }
}
