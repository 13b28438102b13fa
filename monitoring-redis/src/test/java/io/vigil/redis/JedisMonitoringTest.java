package io.vigil.redis;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.health.HealthCheck;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared contract plus what only Jedis has: pool connection events, executor decoration. */
class JedisMonitoringTest extends RedisMonitoringContract {

    private JedisMonitoring monitoring;
    private JedisWorkload jedis;

    static HostAndPort hostAndPort() {
        return new HostAndPort(server.host(), server.port());
    }

    static JedisClientConfig config() {
        int millis = (int) CLIENT_TIMEOUT.toMillis();
        return DefaultJedisClientConfig.builder().connectionTimeoutMillis(millis).socketTimeoutMillis(millis).build();
    }

    @Override
    RedisWorkload instrumented(PrometheusMeterRegistry registry) {
        monitoring = JedisMonitoring.builder(registry).cacheName("sessions").serverInfo(hostAndPort(), config())
                .pollInterval(Duration.ofMinutes(10)).pollTimeout(Duration.ofMillis(500)).build();
        jedis = new JedisWorkload(monitoring.redisClient(hostAndPort(), config()));
        return jedis;
    }

    @Override
    RedisWorkload uninstrumented() {
        return new JedisWorkload(RedisClient.builder().hostAndPort(hostAndPort()).clientConfig(config()).build());
    }

    @Override
    HealthCheck health(Duration timeout) {
        return RedisHealthCheck.builder().jedis(jedis.jedis).timeout(timeout).build();
    }

    @Override
    void pollNow() {
        monitoring.pollNow();
    }

    @Override
    void closeMonitoring() {
        if (monitoring != null) {
            monitoring.close();
        }
    }

    @Override
    String component() {
        return "redis.jedis";
    }

    @Override
    String wrongTypeError() {
        return "JedisDataException";
    }

    @Test
    void poolConnectionEventsAreCounted() {
        jedis.set("a", "1");
        assertThat(scrape().value("redis_connection_events_total", "event", "connect")).isEqualTo(1);
        assertThat(scrape().value("redis_connection_events_total", "event", "disconnect")).isZero();

        jedis.close();

        assertThat(scrape().value("redis_connection_events_total", "event", "disconnect")).isEqualTo(1);
        assertThat(scrape().value("redis_connection_events_total", "event", "reconnect")).isZero();
    }

    @Test
    void applicationBuiltClientWithDecoratedExecutor() {
        var provider = monitoring.connectionProvider(hostAndPort(), config());
        try (RedisClient own = RedisClient.builder().hostAndPort(hostAndPort()).clientConfig(config())
                .connectionProvider(provider).commandExecutor(monitoring.commandExecutor(provider)).build()) {
            own.set("x", "1");
            assertThat(own.get("x")).isEqualTo("1");
        }
        assertThat(count("SET", "success")).isEqualTo(1);
        assertThat(count("GET", "success")).isEqualTo(1);
    }

    @Test
    void badConfigurationFailsAtBuildTime() {
        assertThatThrownBy(() -> JedisMonitoring.builder(registry).cacheName(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JedisMonitoring.builder(registry).pollTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JedisMonitoring.builder(registry).serverInfo(hostAndPort(), config())
                .pollInterval(Duration.ofSeconds(1)).pollTimeout(Duration.ofSeconds(2)).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> monitoring.decorate(null)).isInstanceOf(NullPointerException.class);
    }
}
