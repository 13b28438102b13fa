package io.vigil.redis;

import io.vigil.redis.testkit.TestRedisServer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.health.HealthCheck;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Behaviour both adapters promise, written once against {@link RedisWorkload} and run against a real
 * redis-server for each client: exact counts and tags in a Prometheus scrape, error paths with the
 * application's exceptions untouched, no keys or values in tags, bounded command names, concurrency,
 * INFO gauges, health, and a Redis stopped and restarted mid-run.
 */
abstract class RedisMonitoringContract {

    /** Generous enough for a cold JVM on a loaded machine; faults fail fast anyway (connection refused). */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration HEALTH_TIMEOUT = Duration.ofMillis(500);
    static final String DURATION = "db_client_operation_duration_seconds_count";

    static TestRedisServer server;

    PrometheusMeterRegistry registry;
    RedisWorkload client;
    RedisWorkload plain;

    /** Builds the monitoring on {@code registry} (with INFO polling) and a client instrumented by it. */
    abstract RedisWorkload instrumented(PrometheusMeterRegistry registry);

    /** A client of the same kind and configuration, without Vigil. */
    abstract RedisWorkload uninstrumented();

    /** A health check through the instrumented client. */
    abstract HealthCheck health(Duration timeout);

    abstract void pollNow();

    abstract void closeMonitoring();

    /** The component the adapter counts its own failures under. */
    abstract String component();

    /** The simple class name of the exception the client throws for a WRONGTYPE reply. */
    abstract String wrongTypeError();

    @BeforeAll
    static void startRedis() {
        server = TestRedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        server.close();
    }

    @BeforeEach
    void connect() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        plain = uninstrumented();
        // A loaded machine can drop a fresh connection (slow handshake); Lettuce then reconnects.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> {
                    plain.flushAll();
                    return true;
                });
        client = instrumented(registry);
    }

    @AfterEach
    void disconnect() {
        if (client != null) {
            client.close();
        }
        if (plain != null) {
            plain.close();
        }
        closeMonitoring();
    }

    PrometheusScrape scrape() {
        return PrometheusScrape.parse(registry.scrape());
    }

    double count(String operation, String outcome) {
        return scrape().sum(DURATION, "db_operation", operation, "outcome", outcome);
    }

    @Test
    void knownWorkloadGivesExactCountsAndTags() {
        client.set("k1", "v1");
        client.set("k2", "v2");
        client.set("k3", "v3");
        assertThat(client.get("k1")).isEqualTo("v1");
        assertThat(client.get("k2")).isEqualTo("v2");
        assertThat(client.get("absent")).isNull();
        assertThat(client.mget("k1", "absent", "k3")).containsExactly("v1", null, "v3");
        client.mset("k4", "v4", "k5", "v5");
        assertThat(client.setnx("k6", "v6")).isTrue();
        assertThat(client.setnx("k6", "again")).isFalse();
        client.hset("h", "f", "v");
        assertThat(client.hget("h", "f")).isEqualTo("v");
        assertThat(client.hget("h", "absent")).isNull();

        String[] common = {"db_system", "redis", "db_namespace", "0", "outcome", "success", "error_type", "none"};
        eventually(() -> {
        PrometheusScrape scrape = scrape();
        assertThat(scrape.value(DURATION, with(common, "db_operation", "SET"))).isEqualTo(3);
        assertThat(scrape.value(DURATION, with(common, "db_operation", "GET"))).isEqualTo(3);
        assertThat(scrape.value(DURATION, with(common, "db_operation", "MGET"))).isEqualTo(1);
        assertThat(scrape.value(DURATION, with(common, "db_operation", "MSET"))).isEqualTo(1);
        assertThat(scrape.value(DURATION, with(common, "db_operation", "SETNX"))).isEqualTo(2);
        assertThat(scrape.value(DURATION, with(common, "db_operation", "HSET"))).isEqualTo(1);
        assertThat(scrape.value(DURATION, with(common, "db_operation", "HGET"))).isEqualTo(2);
        assertThat(scrape.sum(DURATION, "outcome", "error")).isZero();

        // GET 2 hits + 1 miss, MGET 2 + 1, HGET 1 + 1; SET 3, MSET 2 pairs, SETNX 1 of 2, HSET 1.
        assertThat(scrape.value("cache_gets_total", "cache", "sessions", "result", "hit")).isEqualTo(5);
        assertThat(scrape.value("cache_gets_total", "cache", "sessions", "result", "miss")).isEqualTo(3);
        assertThat(scrape.value("cache_puts_total", "cache", "sessions")).isEqualTo(7);
        assertThat(scrape.sum("vigil_internal_errors_total")).isZero();
        });
    }

    @Test
    void redisErrorIsCountedAndReachesTheApplicationUnchanged() {
        client.set("text", "v");
        plain.set("text", "v");

        Throwable withVigil = catchThrowable(() -> client.lpush("text", "x"));
        Throwable without = catchThrowable(() -> plain.lpush("text", "x"));

        assertThat(withVigil).isNotNull().hasSameClassAs(without).hasMessage(without.getMessage());
        assertThat(withVigil.getClass().getSimpleName()).isEqualTo(wrongTypeError());
        eventually(() -> assertThat(scrape().value(DURATION, "db_operation", "LPUSH", "outcome", "error",
                "error_type", wrongTypeError())).isEqualTo(1));
        assertThat(count("LPUSH", "success")).isZero();
    }

    @Test
    void keysAndValuesNeverReachTheScrape() {
        client.set("vigil-secret-key-7731", "vigil-secret-value-9924");
        client.get("vigil-secret-key-7731");
        client.get("vigil-secret-miss-5510");
        client.hset("vigil-secret-hash-1187", "vigil-secret-field-3309", "vigil-secret-value-9924");
        catchThrowable(() -> client.lpush("vigil-secret-key-7731", "vigil-secret-value-9924"));
        pollNow();

        String text = registry.scrape();
        assertThat(text).doesNotContain("vigil-secret").doesNotContain("vigil_secret");
    }

    @Test
    void commandsOutsideTheCommandEnumAreCountedAsOther() {
        for (int i = 0; i < 5; i++) {
            assertThat(client.customEcho("echo-" + i)).isEqualTo("echo-" + i);
        }
        eventually(() -> assertThat(scrape().value(DURATION, "db_operation", "OTHER", "outcome", "success"))
                .isEqualTo(5));
        assertThat(scrape().labelValues(DURATION, "db_operation")).doesNotContain("ECHO", "echo-0");
    }

    @Test
    void unknownCommandNamesCannotInflateCardinality() {
        for (int i = 0; i < 50; i++) {
            String name = "vigil-made-up-" + i;
            String argument = "vigil-secret-arg-" + i;
            Throwable error = catchThrowable(() -> client.unknownCommand(name, argument));
            assertThat(error).isNotNull();
        }
        eventually(() -> assertThat(scrape().sum(DURATION, "db_operation", "OTHER", "outcome", "error"))
                .isEqualTo(50));
        PrometheusScrape scrape = scrape();
        assertThat(scrape.labelValues(DURATION, "db_operation")).containsOnly("OTHER");
        assertThat(scrape.labelValues(DURATION, "error_type")).hasSizeLessThanOrEqualTo(2);
        assertThat(registry.scrape()).doesNotContain("vigil-made-up").doesNotContain("vigil-secret");
    }

    @Test
    void concurrentCommandsAreCountedExactly() throws Exception {
        client.set("shared", "v");
        int threads = 4;
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                tasks.add(() -> {
                    for (int i = 0; i < perThread; i++) {
                        client.get(i % 2 == 0 ? "shared" : "absent-" + thread);
                    }
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        } finally {
            pool.shutdown();
        }
        eventually(() -> {
            assertThat(count("GET", "success")).isEqualTo(threads * perThread);
            assertThat(scrape().value("cache_gets_total", "result", "hit")).isEqualTo(threads * perThread / 2.0);
            assertThat(scrape().value("cache_gets_total", "result", "miss")).isEqualTo(threads * perThread / 2.0);
        });
    }

    @Test
    void serverGaugesComeFromInfo() {
        client.set("a", "1");
        client.get("a");
        client.get("absent");
        pollNow();

        PrometheusScrape scrape = scrape();
        String serverTag = server.host() + ":" + server.port();
        assertThat(scrape.value("redis_memory_used_bytes", "server", serverTag)).isGreaterThan(100_000);
        assertThat(scrape.value("redis_clients_connected", "server", serverTag)).isGreaterThanOrEqualTo(2);
        assertThat(scrape.value("redis_keyspace_lookups_total", "server", serverTag, "result", "hit"))
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape.value("redis_keyspace_lookups_total", "server", serverTag, "result", "miss"))
                .isGreaterThanOrEqualTo(1);
        assertThat(scrape.value("cache_evictions_total", "cache", "sessions")).isZero();
        // INFO is Vigil's own command on its own connection: never an application operation.
        assertThat(scrape.labelValues(DURATION, "db_operation")).doesNotContain("INFO");
    }

    @Test
    void healthIsUpWithLatency() throws Exception {
        HealthResult result = health(HEALTH_TIMEOUT).check();
        assertThat(result.status()).isEqualTo(HealthStatus.UP);
        assertThat(result.details()).containsKey("latencyMs");
        assertThat((Double) result.details().get("latencyMs")).isGreaterThanOrEqualTo(0);
    }

    @Test
    void healthIsDownWithinItsTimeoutWhenRedisHangs() throws Exception {
        HealthCheck health = health(HEALTH_TIMEOUT);
        assertThat(health.check().status()).isEqualTo(HealthStatus.UP);

        plain.pauseAllClients(2_000);
        for (int i = 0; i < 2; i++) { // the second check finds the first PING still pending
            long start = System.nanoTime();
            HealthResult hung = health.check();
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(hung.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(tookMs).isLessThan(HEALTH_TIMEOUT.toMillis() + 1_000);
        }

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> health.check().status() == HealthStatus.UP);
    }

    @Test
    void vigilFailuresNeverReachTheApplication() {
        client.close();
        closeMonitoring();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
                if ("GET".equals(id.getTag("db.operation"))) {
                    throw new IllegalStateException("broken meter backend");
                }
                return id;
            }
        });
        client = instrumented(registry);

        client.set("k", "v");
        assertThat(client.get("k")).isEqualTo("v");
        assertThat(client.get("k")).isEqualTo("v");

        eventually(() -> {
            assertThat(scrape().value("vigil_internal_errors_total", "component", component())).isEqualTo(2);
            assertThat(count("SET", "success")).isEqualTo(1);
        });
    }

    @Test
    void redisStoppedAndRestartedMidRun() throws Exception {
        client.set("k", "v");
        HealthCheck health = health(HEALTH_TIMEOUT);
        assertThat(health.check().status()).isEqualTo(HealthStatus.UP);
        pollNow();
        String serverTag = server.host() + ":" + server.port();
        double memoryBefore = scrape().value("redis_memory_used_bytes", "server", serverTag);
        double pollErrorsBefore = scrape().value("vigil_internal_errors_total", "component", component());

        server.stop();
        try {
            Throwable withVigil = catchThrowable(() -> client.get("k"));
            Throwable without = catchThrowable(() -> plain.get("k"));
            assertThat(withVigil).isNotNull().hasSameClassAs(without);
            eventually(() -> assertThat(count("GET", "error")).isEqualTo(1));

            long start = System.nanoTime();
            HealthResult down = health.check();
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(down.status()).isEqualTo(HealthStatus.DOWN);
            // Never hangs past its timeout (generous slack for a loaded CI machine; no tighter timing claims).
            assertThat(tookMs).isLessThan(HEALTH_TIMEOUT.toMillis() + 1_500);

            pollNow();
            PrometheusScrape scrape = scrape();
            assertThat(scrape.value("vigil_internal_errors_total", "component", component()))
                    .isEqualTo(pollErrorsBefore + 1);
            assertThat(scrape.value("redis_memory_used_bytes", "server", serverTag)).isEqualTo(memoryBefore);
        } finally {
            server.startAgain();
        }

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> health.check().status() == HealthStatus.UP);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> {
                    client.set("k", "again");
                    return true;
                });
        assertThat(client.get("k")).isEqualTo("again");
        eventually(() -> assertThat(count("GET", "success")).isEqualTo(1));

        double errorsAfterRestart = scrape().value("vigil_internal_errors_total", "component", component());
        pollNow();
        assertThat(scrape().value("vigil_internal_errors_total", "component", component()))
                .isEqualTo(errorsAfterRestart);
        assertThat(scrape().value("redis_memory_used_bytes", "server", serverTag)).isPositive();
    }

    /**
     * Lettuce reports a command to listeners just after completing its future, so the caller may look
     * before the count moved; the counts asserted are still exact.
     */
    static void eventually(org.awaitility.core.ThrowingRunnable assertion) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).untilAsserted(assertion);
    }

    private static String[] with(String[] common, String... more) {
        String[] all = Arrays.copyOf(common, common.length + more.length);
        System.arraycopy(more, 0, all, common.length, more.length);
        return all;
    }
}
