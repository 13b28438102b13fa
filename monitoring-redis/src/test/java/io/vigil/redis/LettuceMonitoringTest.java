package io.vigil.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.KillArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.health.HealthCheck;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The shared contract plus what only Lettuce has: async, pipelining, MULTI/EXEC, reactive, reconnects. */
class LettuceMonitoringTest extends RedisMonitoringContract {

    static ClientResources resources;

    private LettuceMonitoring monitoring;
    private LettuceWorkload lettuce;

    @BeforeAll
    static void createResources() {
        // Reconnect quickly after the restart test brings Redis back.
        resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.constant(Duration.ofMillis(100))).build();
        // Warm up Netty and Lettuce once, so the first test's handshake is not the JVM's slowest.
        RedisClient warmUp = newClient();
        try (var connection = warmUp.connect()) {
            connection.sync().ping();
        } finally {
            warmUp.shutdown();
        }
    }

    @AfterAll
    static void shutdownResources() {
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    static RedisURI uri() {
        return RedisURI.builder().withHost(server.host()).withPort(server.port()).withTimeout(CLIENT_TIMEOUT).build();
    }

    static RedisClient newClient() {
        RedisClient client = RedisClient.create(resources, uri());
        // Fail fast while disconnected (the README explains why timed-out commands are not reported).
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        return client;
    }

    @Override
    RedisWorkload instrumented(PrometheusMeterRegistry registry) {
        RedisClient client = newClient();
        monitoring = LettuceMonitoring.builder(client, registry).cacheName("sessions").serverInfo(uri())
                .pollInterval(Duration.ofMinutes(10)).pollTimeout(Duration.ofMillis(500)).build();
        lettuce = new LettuceWorkload(client, true);
        return lettuce;
    }

    @Override
    RedisWorkload uninstrumented() {
        return new LettuceWorkload(newClient(), true);
    }

    @Override
    HealthCheck health(Duration timeout) {
        return RedisHealthCheck.builder().lettuce(lettuce.connection.async()).timeout(timeout).build();
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
        return "redis.lettuce";
    }

    @Override
    String wrongTypeError() {
        return "RedisCommandExecutionException";
    }

    @Test
    void asyncAndPipelinedCommandsAreEachCounted() throws Exception {
        RedisAsyncCommands<String, String> async = lettuce.connection.async();
        lettuce.connection.setAutoFlushCommands(false);
        List<RedisFuture<?>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                futures.add(async.set("p" + i, "v"));
            }
            for (int i = 0; i < 30; i++) {
                futures.add(async.get("p" + i)); // 20 hits, 10 misses
            }
            lettuce.connection.flushCommands();
            for (RedisFuture<?> future : futures) {
                future.get(5, TimeUnit.SECONDS);
            }
        } finally {
            lettuce.connection.setAutoFlushCommands(true);
        }

        eventually(() -> {
        PrometheusScrape scrape = scrape();
        assertThat(scrape.value(DURATION, "db_operation", "SET", "outcome", "success")).isEqualTo(20);
        assertThat(scrape.value(DURATION, "db_operation", "GET", "outcome", "success")).isEqualTo(30);
        assertThat(scrape.value("cache_gets_total", "result", "hit")).isEqualTo(20);
        assertThat(scrape.value("cache_gets_total", "result", "miss")).isEqualTo(10);
        assertThat(scrape.value("cache_puts_total")).isEqualTo(20);
        });
    }

    @Test
    void transactionCountsEachCommandOnce() {
        RedisCommands<String, String> sync = lettuce.sync;
        sync.multi();
        sync.set("t1", "v");
        sync.get("t1");
        sync.get("t-absent");
        TransactionResult result = sync.exec();

        assertThat(result.wasDiscarded()).isFalse();
        assertThat(result.<String>get(1)).isEqualTo("v");
        eventually(() -> {
        PrometheusScrape scrape = scrape();
        assertThat(scrape.value(DURATION, "db_operation", "MULTI", "outcome", "success")).isEqualTo(1);
        assertThat(scrape.value(DURATION, "db_operation", "EXEC", "outcome", "success")).isEqualTo(1);
        assertThat(scrape.value(DURATION, "db_operation", "SET", "outcome", "success")).isEqualTo(1);
        assertThat(scrape.value(DURATION, "db_operation", "GET", "outcome", "success")).isEqualTo(2);
        // The replies inside the transaction are the real values, delivered at EXEC.
        assertThat(scrape.value("cache_gets_total", "result", "hit")).isEqualTo(1);
        assertThat(scrape.value("cache_gets_total", "result", "miss")).isEqualTo(1);
        assertThat(scrape.value("cache_puts_total")).isEqualTo(1);
        });
    }

    @Test
    void reactiveCommandsAreCounted() {
        lettuce.sync.set("r", "v");
        assertThat(lettuce.connection.reactive().get("r").block(Duration.ofSeconds(5))).isEqualTo("v");
        assertThat(lettuce.connection.reactive().get("r-absent").blockOptional(Duration.ofSeconds(5))).isEmpty();

        eventually(() -> {
            assertThat(count("GET", "success")).isEqualTo(2);
            assertThat(scrape().value("cache_gets_total", "result", "hit")).isEqualTo(1);
            assertThat(scrape().value("cache_gets_total", "result", "miss")).isEqualTo(1);
        });
    }

    @Test
    void connectionEventsCountConnectDisconnectAndReconnect() {
        assertThat(scrape().value("redis_connection_events_total", "event", "connect")).isEqualTo(1);

        long id = lettuce.sync.clientId();
        ((LettuceWorkload) plain).sync.clientKill(KillArgs.Builder.id(id));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(scrape().value("redis_connection_events_total", "event", "disconnect")).isEqualTo(1);
            assertThat(scrape().value("redis_connection_events_total", "event", "reconnect")).isEqualTo(1);
        });
        assertThat(lettuce.sync.ping()).isEqualTo("PONG");
        assertThat(scrape().value("redis_connection_events_total", "event", "connect")).isEqualTo(1);
    }

    @Test
    void closingStopsRecording() {
        lettuce.sync.get("a");
        eventually(() -> assertThat(count("GET", "success")).isEqualTo(1));
        monitoring.close();
        lettuce.sync.get("a");
        assertThat(count("GET", "success")).isEqualTo(1);
    }

    @Test
    void badConfigurationFailsAtBuildTime() {
        RedisClient client = newClient();
        try {
            assertThatThrownBy(() -> LettuceMonitoring.builder(client, registry).cacheName(" "))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> LettuceMonitoring.builder(client, registry).database(-1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> LettuceMonitoring.builder(client, registry).pollInterval(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> LettuceMonitoring.builder(client, registry).serverInfo(uri())
                    .pollInterval(Duration.ofSeconds(1)).pollTimeout(Duration.ofSeconds(2)).build())
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            client.shutdown();
        }
    }
}
