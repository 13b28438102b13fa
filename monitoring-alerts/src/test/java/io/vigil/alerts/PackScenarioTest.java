package io.vigil.alerts;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.core.app.ApplicationMetrics;
import io.vigil.core.app.LoginResult;
import io.vigil.core.cardinality.CardinalityGuard;
import io.vigil.core.cardinality.CardinalityLimits;
import io.vigil.core.catalog.CommonTags;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;
import io.vigil.core.internal.InternalErrors;
import io.vigil.health.CheckOptions;
import io.vigil.health.HealthRegistry;
import io.vigil.jdbc.MonitoredDataSource;
import io.vigil.servlet.MonitoringFilter;
import jakarta.servlet.http.HttpServletResponse;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every alert of the production pack, driven to firing and back to resolved by real meters on a fake clock: the
 * real {@code MonitoringFilter} (stand-in requests), {@code MonitoredDataSource} on H2 and HikariCP, the
 * {@code HealthRegistry}, core's application API, cardinality guard and internal errors; direct catalog meters
 * where the source cannot be steered in a test (CPU, memory, disk from OSHI; the JDBC wrapper's own timer and the
 * Redis client's cache counters, which need a slow database or a Redis server).
 */
class PackScenarioTest {

    private static final Duration TICK = Duration.ofSeconds(15);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private final MockClock meterClock = new MockClock();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
            new PrometheusRegistry(), meterClock);
    private final List<AlertEngine.Alert> notified = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private AlertEngine engine;
    private MonitoringFilter filter;

    @BeforeEach
    void setUp() {
        CommonTags.builder().service("checkout").instance("api-1").build().applyTo(registry);
        engine = AlertEngine.builder(registry).rules(RuleFiles.pack()).clock(clock).listener(notified::addAll).build();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        engine.close();
    }

    private void runFor(Duration duration, Runnable perTick) {
        for (long t = 0; t < duration.toMillis(); t += TICK.toMillis()) {
            perTick.run();
            clock.advance(TICK);
            meterClock.add(TICK);
            engine.evaluate();
        }
    }

    private List<AlertEngine.Alert> firing(String name) {
        return engine.alerts().stream().filter(a -> a.name().equals(name) && a.state() == AlertEngine.State.FIRING)
                .toList();
    }

    private void assertFiresThenResolves(String name, Duration quiet, Runnable calm) {
        assertThat(firing(name)).as(name + " firing").hasSize(1);
        AlertEngine.Alert alert = firing(name).get(0);
        assertThat(alert.labels()).containsEntry("alertname", name).containsEntry("service", "checkout");
        assertThat(alert.annotations()).containsKeys("summary", "description", "runbook_url");
        assertThat(notified).anyMatch(a -> a.name().equals(name) && a.state() == AlertEngine.State.FIRING);
        notified.clear();
        runFor(quiet, calm);
        assertThat(firing(name)).as(name + " resolved").isEmpty();
        assertThat(notified).anyMatch(a -> a.name().equals(name) && a.state() == AlertEngine.State.RESOLVED
                && a.fingerprint().equals(alert.fingerprint()));
    }

    private void assertQuiet(String name) {
        assertThat(firing(name)).as(name + " not firing yet").isEmpty();
    }

    private void http(String uri, int status, Duration latency, int times) {
        if (filter == null) {
            filter = MonitoringFilter.builder(registry).build();
        }
        for (int i = 0; i < times; i++) {
            try {
                filter.doFilter(StandInHttp.request("GET", uri), StandInHttp.response(), (req, res) -> {
                    meterClock.add(latency);
                    ((HttpServletResponse) res).setStatus(status);
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void httpHighErrorRatio() {
        runFor(Duration.ofMinutes(4), () -> {
            http("/orders", 200, Duration.ofMillis(5), 9);
            http("/orders", 500, Duration.ofMillis(5), 1);
        });
        assertQuiet("VigilHttpHighErrorRatio");
        runFor(Duration.ofMinutes(4), () -> {
            http("/orders", 200, Duration.ofMillis(5), 9);
            http("/orders", 500, Duration.ofMillis(5), 1);
        });
        assertThat(firing("VigilHttpHighErrorRatio").get(0).annotations().get("summary"))
                .isEqualTo("checkout: 10% of HTTP requests fail with 5xx");
        assertFiresThenResolves("VigilHttpHighErrorRatio", Duration.ofMinutes(6),
                () -> http("/orders", 200, Duration.ofMillis(5), 10));
    }

    @Test
    void httpHighLatencyP95() {
        runFor(Duration.ofMinutes(12), () -> http("/orders", 200, Duration.ofMillis(800), 10));
        assertQuiet("VigilHttpHighLatencyP99");
        assertThat(firing("VigilHttpHighLatencyP95").get(0).labels()).containsEntry("uri", "/orders")
                .containsEntry("quantile", "0.95").containsEntry("severity", "warning");
        assertFiresThenResolves("VigilHttpHighLatencyP95", Duration.ofMinutes(6),
                () -> http("/orders", 200, Duration.ofMillis(10), 10));
    }

    @Test
    void httpHighLatencyP99() {
        runFor(Duration.ofMinutes(12), () -> http("/orders", 200, Duration.ofSeconds(3), 10));
        assertFiresThenResolves("VigilHttpHighLatencyP99", Duration.ofMinutes(6),
                () -> http("/orders", 200, Duration.ofMillis(10), 10));
    }

    @Test
    void httpTrafficDrop() {
        runFor(Duration.ofMinutes(75), () -> http("/orders", 200, Duration.ofMillis(5), 30));
        assertQuiet("VigilHttpTrafficDrop");
        runFor(Duration.ofMinutes(20), () -> http("/orders", 200, Duration.ofMillis(5), 3));
        assertFiresThenResolves("VigilHttpTrafficDrop", Duration.ofMinutes(6),
                () -> http("/orders", 200, Duration.ofMillis(5), 30));
    }

    @Test
    void httpTrafficSpike() {
        runFor(Duration.ofMinutes(75), () -> http("/orders", 200, Duration.ofMillis(5), 30));
        assertQuiet("VigilHttpTrafficSpike");
        runFor(Duration.ofMinutes(20), () -> http("/orders", 200, Duration.ofMillis(5), 300));
        assertFiresThenResolves("VigilHttpTrafficSpike", Duration.ofMinutes(6),
                () -> http("/orders", 200, Duration.ofMillis(5), 30));
    }

    @Test
    void rateLimitedBurst() {
        runFor(Duration.ofMinutes(5), () -> http("/login", 429, Duration.ofMillis(1), 40));
        assertFiresThenResolves("VigilRateLimitedBurst", Duration.ofMinutes(6),
                () -> http("/login", 200, Duration.ofMillis(1), 40));
    }

    @Test
    void failedLoginBurst() {
        ApplicationMetrics app = ApplicationMetrics.register(registry);
        runFor(Duration.ofMinutes(5), () -> {
            for (int i = 0; i < 10; i++) {
                app.login(LoginResult.FAILURE);
            }
            app.login(LoginResult.SUCCESS);
        });
        assertFiresThenResolves("VigilFailedLoginBurst", Duration.ofMinutes(6), () -> app.login(LoginResult.SUCCESS));
    }

    /** The JDBC wrapper times with System.nanoTime, so slow queries are recorded into its catalog timer directly. */
    @Test
    void dbSlowQueries() {
        Timer select = MetricCatalog.DB_CLIENT_OPERATION_DURATION.timer(registry, Tags.of("db.system", "postgresql",
                "db.namespace", "orders", "db.operation", "SELECT", "outcome", "success", "error.type", "none"));
        runFor(Duration.ofMinutes(12), () -> select.record(800, TimeUnit.MILLISECONDS));
        assertQuiet("VigilRedisDown");
        assertFiresThenResolves("VigilDbSlowQueries", Duration.ofMinutes(6),
                () -> select.record(2, TimeUnit.MILLISECONDS));
    }

    @Test
    void dbHighErrorRatio() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:scenario_errors;DB_CLOSE_DELAY=-1");
        MonitoredDataSource db = MonitoredDataSource.builder(h2, registry).name("orders").build();
        AtomicBoolean failing = new AtomicBoolean(true);
        Runnable load = () -> {
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                for (int i = 0; i < 9; i++) {
                    s.execute("SELECT 1");
                }
                if (failing.get()) {
                    try {
                        s.execute("SELECT * FROM missing_table");
                    } catch (SQLException expected) {
                        // the error the alert is about
                    }
                } else {
                    s.execute("SELECT 1");
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        runFor(Duration.ofMinutes(8), load);
        failing.set(false);
        assertFiresThenResolves("VigilDbHighErrorRatio", Duration.ofMinutes(6), load);
    }

    @Test
    void dbPoolSaturated() throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:scenario_pool;DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(2);
        config.setPoolName("orders");
        HikariDataSource hikari = new HikariDataSource(config);
        closeables.add(hikari);
        MonitoredDataSource db = MonitoredDataSource.builder(hikari, registry).build();
        Connection first = db.getConnection();
        Connection second = db.getConnection();
        runFor(Duration.ofMinutes(6), () -> { });
        first.close();
        second.close();
        assertFiresThenResolves("VigilDbPoolSaturated", Duration.ofMinutes(1), () -> { });
    }

    /** Timeouts take a real wait in HikariCP; the catalog counter the JDBC wrapper increments is used directly. */
    @Test
    void dbConnectionTimeouts() {
        io.micrometer.core.instrument.Counter timeouts = MetricCatalog.DB_CLIENT_CONNECTION_TIMEOUTS.counter(registry,
                Tags.of("pool", "orders"));
        runFor(Duration.ofMinutes(1), () -> { });
        runFor(Duration.ofMinutes(1), () -> timeouts.increment());
        assertFiresThenResolves("VigilDbConnectionTimeouts", Duration.ofMinutes(6), () -> { });
    }

    /** The Redis client's cache counters, recorded directly (a Redis server is not started here). */
    @Test
    void cacheLowHitRatio() {
        io.micrometer.core.instrument.Counter hits = MetricCatalog.CACHE_GETS.counter(registry,
                Tags.of("cache", "orders", "result", "hit"));
        io.micrometer.core.instrument.Counter misses = MetricCatalog.CACHE_GETS.counter(registry,
                Tags.of("cache", "orders", "result", "miss"));
        runFor(Duration.ofMinutes(20), () -> {
            hits.increment(2);
            misses.increment(8);
        });
        assertFiresThenResolves("VigilCacheLowHitRatio", Duration.ofMinutes(6), () -> hits.increment(10));
    }

    @Test
    void redisDownAndHealthCheckDown() {
        AtomicReference<HealthStatus> redis = new AtomicReference<>(HealthStatus.DOWN);
        HealthRegistry health = HealthRegistry.builder(registry)
                .register("redis", () -> redis.get() == HealthStatus.UP ? HealthResult.up() : HealthResult.down(),
                        CheckOptions.builder().interval(Duration.ofMillis(10)).build())
                .build().start();
        closeables.add(health);
        await().atMost(Duration.ofSeconds(10)).until(() -> health.check("redis").orElseThrow().status() == HealthStatus.DOWN);
        runFor(Duration.ofMinutes(3), () -> { });
        assertThat(firing("VigilHealthCheckDown").get(0).labels()).containsEntry("check", "redis")
                .containsEntry("group", "readiness");
        redis.set(HealthStatus.UP);
        await().atMost(Duration.ofSeconds(10)).until(() -> health.check("redis").orElseThrow().status() == HealthStatus.UP);
        assertFiresThenResolves("VigilRedisDown", Duration.ofMinutes(1), () -> { });
        assertQuiet("VigilHealthCheckDown");
    }

    @Test
    void highCpuHighMemoryDiskFull() {
        AtomicReference<Double> idle = new AtomicReference<>(0.05);
        AtomicReference<Double> memoryUsed = new AtomicReference<>(0.95);
        AtomicReference<Double> free = new AtomicReference<>(50e9);
        MetricCatalog.SYSTEM_CPU_UTILIZATION.gauge(registry, Tags.of("state", "idle"), idle, AtomicReference::get);
        MetricCatalog.SYSTEM_MEMORY_UTILIZATION.gauge(registry, Tags.of("state", "used"), memoryUsed,
                AtomicReference::get);
        MetricCatalog.SYSTEM_FILESYSTEM_USAGE.gauge(registry, Tags.of("device", "/dev/sda1", "mountpoint", "/",
                "state", "free"), free, AtomicReference::get);
        runFor(Duration.ofMinutes(20), () -> free.set(free.get() - 100e6));
        assertThat(firing("VigilHighCpu")).hasSize(1);
        assertThat(firing("VigilHighMemory")).hasSize(1);
        assertThat(firing("VigilDiskFullIn4h").get(0).annotations().get("summary"))
                .isEqualTo("api-1 /: disk full within 4 hours");
        idle.set(0.6);
        memoryUsed.set(0.5);
        runFor(Duration.ofMinutes(1), () -> { });
        assertQuiet("VigilHighCpu");
        assertQuiet("VigilHighMemory");
        assertFiresThenResolves("VigilDiskFullIn4h", Duration.ofMinutes(60), () -> { });
    }

    @Test
    void internalErrors() {
        InternalErrors errors = InternalErrors.forComponent(registry, "jdbc");
        runFor(Duration.ofMinutes(1), () -> { });
        runFor(Duration.ofMinutes(1), () -> errors.record(new IllegalStateException("scenario: a failing wrapper")));
        assertThat(firing("VigilInternalErrors").get(0).labels()).containsEntry("component", "jdbc");
        assertFiresThenResolves("VigilInternalErrors", Duration.ofMinutes(11), () -> { });
    }

    @Test
    void cardinalityOverflow() {
        CardinalityGuard guard = CardinalityGuard.create(registry, CardinalityLimits.builder().tag("uri", 1).build());
        var uris = guard.limiter(MetricCatalog.HTTP_SERVER_REQUESTS, "uri");
        uris.limit("/orders");
        int[] n = {0};
        runFor(Duration.ofMinutes(2), () -> uris.limit("/users/" + n[0]++));
        assertThat(firing("VigilCardinalityOverflow").get(0).labels()).containsEntry("meter", "http.server.requests")
                .containsEntry("tag", "uri");
        assertFiresThenResolves("VigilCardinalityOverflow", Duration.ofMinutes(11), () -> { });
    }

    @Test
    void firingAlertsAreCountedBySeverity() {
        AtomicReference<Double> idle = new AtomicReference<>(0.05);
        MetricCatalog.SYSTEM_CPU_UTILIZATION.gauge(registry, Tags.of("state", "idle"), idle, AtomicReference::get);
        runFor(Duration.ofMinutes(11), () -> { });
        assertThat(registry.scrape()).contains("alerts_active{instance=\"api-1\",service=\"checkout\",severity=\"warning\"} 1")
                .contains("alerts_active{instance=\"api-1\",service=\"checkout\",severity=\"critical\"} 0");
    }
}
