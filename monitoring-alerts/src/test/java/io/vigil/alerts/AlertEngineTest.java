package io.vigil.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.alerts.promql.LabelMatcher;
import io.vigil.alerts.promql.Labels;
import io.vigil.alerts.promql.Series;
import io.vigil.core.catalog.CommonTags;
import io.vigil.core.catalog.MetricCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine over a real registry: what it samples, how it keeps series, how rules run and fail. */
class AlertEngineTest {

    private static final Duration TICK = Duration.ofSeconds(15);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private final MockClock meterClock = new MockClock();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
            new PrometheusRegistry(), meterClock);
    private final List<AlertEngine> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(AlertEngine::close);
    }

    private AlertEngine engine(RuleFiles rules, int maxSeries, List<AlertEngine.Alert> sink) {
        AlertEngine engine = AlertEngine.builder(registry).rules(rules).clock(clock).maxSeries(maxSeries)
                .listener(sink::addAll).build();
        engines.add(engine);
        return engine;
    }

    private void tick(AlertEngine engine) {
        clock.advance(TICK);
        meterClock.add(TICK);
        engine.evaluate();
    }

    private static List<Series> select(AlertEngine engine, String metric) {
        SeriesStore store = storeOf(engine);
        return store.select(List.of(LabelMatcher.equal(Labels.METRIC_NAME, metric)), 0, Long.MAX_VALUE);
    }

    private static SeriesStore storeOf(AlertEngine engine) {
        try {
            var field = AlertEngine.class.getDeclaredField("store");
            field.setAccessible(true);
            return (SeriesStore) field.get(engine);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void samplesSeriesExactlyAsMetricsShowsThem() {
        CommonTags.builder().service("checkout").instance("api-1").build().applyTo(registry);
        Timer timer = MetricCatalog.DB_CLIENT_OPERATION_DURATION.timer(registry, Tags.of("db.system", "postgresql",
                "db.namespace", "orders", "db.operation", "SELECT", "outcome", "success", "error.type", "none"));
        Counter logins = MetricCatalog.SECURITY_LOGIN_ATTEMPTS.counter(registry, Tags.of("result", "failure"));
        timer.record(3, TimeUnit.MILLISECONDS);
        logins.increment(2);
        AlertEngine engine = engine(RuleFiles.group("g",
                AlertRule.record("x:buckets").expr("db_client_operation_duration_seconds_bucket").build(),
                AlertRule.record("x:count").expr("db_client_operation_duration_seconds_count").build(),
                AlertRule.record("x:max").expr("db_client_operation_duration_seconds_max").build(),
                AlertRule.record("x:logins").expr("security_login_attempts_total").build()), 1000, new ArrayList<>());
        tick(engine);
        List<Series> buckets = select(engine, "db_client_operation_duration_seconds_bucket");
        assertThat(buckets).extracting(s -> s.labels().get("le")).containsExactlyInAnyOrder("2.5E-4", "0.001",
                "0.005", "0.01", "0.05", "0.1", "0.5", "1.0", "5.0", "10.0", "+Inf");
        Series le5ms = buckets.stream().filter(s -> s.labels().get("le").equals("0.005")).findFirst().orElseThrow();
        assertThat(le5ms.labels()).isEqualTo(Labels.of("__name__", "db_client_operation_duration_seconds_bucket",
                "db_system", "postgresql", "db_namespace", "orders", "db_operation", "SELECT", "outcome", "success",
                "error_type", "none", "service", "checkout", "instance", "api-1", "le", "0.005"));
        assertThat(le5ms.values()).containsExactly(1.0);
        assertThat(select(engine, "db_client_operation_duration_seconds_count").get(0).values()).containsExactly(1.0);
        assertThat(select(engine, "db_client_operation_duration_seconds_max").get(0).values()).containsExactly(0.003);
        assertThat(select(engine, "security_login_attempts_total").get(0).labels().get("result")).isEqualTo("failure");
        assertThat(select(engine, "security_login_attempts_total").get(0).values()).containsExactly(2.0);
        // Only what some rule selects is kept.
        assertThat(select(engine, "vigil_internal_errors_total")).isEmpty();
        // x:* are read by no rule, so only the scraped series are kept
        assertThat(engine.storedSeries()).isEqualTo(11 + 1 + 1 + 1);
    }

    @Test
    void keepsJustTheHistoryTheRulesAskFor() {
        Counter c = MetricCatalog.SECURITY_LOGIN_ATTEMPTS.counter(registry, Tags.of("result", "failure"));
        AlertEngine engine = engine(RuleFiles.group("g", AlertRule.record("x:rate")
                .expr("rate(security_login_attempts_total[1m])").build(),
                AlertRule.alert("Rate").expr("x:rate > 0").build()), 1000, new ArrayList<>());
        for (int i = 0; i < 100; i++) {
            c.increment();
            tick(engine);
        }
        int expectedTicks = (int) ((Durations.parse("1m").toMillis() + storeLookbackExtra(engine)) / TICK.toMillis()) + 1;
        assertThat(select(engine, "security_login_attempts_total").get(0).values()).hasSize(expectedTicks);
        // The recorded rate: 1 per 15 s.
        assertThat(select(engine, "x:rate").get(0).values()[0]).isCloseTo(1 / 15.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    private static long storeLookbackExtra(AlertEngine engine) {
        return io.vigil.alerts.promql.Expression.parse("rate(security_login_attempts_total[1m])").lookback().toMillis()
                - Duration.ofMinutes(1).toMillis();
    }

    @Test
    void aSeriesThatDisappearsIsStaleAtOnceAndGoneAfterFiveMinutes() {
        AtomicLong value = new AtomicLong(7);
        var gauge = MetricCatalog.DB_CLIENT_CONNECTION_MAX.gauge(registry, Tags.of("pool", "p"), value, AtomicLong::get);
        List<AlertEngine.Alert> alerts = new ArrayList<>();
        AlertEngine engine = engine(RuleFiles.group("g", AlertRule.alert("PoolPresent")
                .expr("db_client_connection_max > 0").build()), 1000, alerts);
        tick(engine);
        assertThat(engine.alerts()).extracting(AlertEngine.Alert::name).containsExactly("PoolPresent");
        registry.remove(gauge);
        tick(engine);
        // Stale: gone from instant queries at the very next scrape, so the alert resolves.
        assertThat(engine.alerts()).isEmpty();
        assertThat(alerts).anyMatch(a -> a.state() == AlertEngine.State.RESOLVED);
        Series series = select(engine, "db_client_connection_max").get(0);
        assertThat(Series.isStaleMarker(series.values()[series.values().length - 1])).isTrue();
        for (int i = 0; i < 20; i++) {
            tick(engine);
        }
        assertThat(select(engine, "db_client_connection_max")).isEmpty();
    }

    @Test
    void theSeriesCapDropsAndCountsNewSeries() {
        for (int i = 0; i < 5; i++) {
            MetricCatalog.CACHE_PUTS.counter(registry, Tags.of("cache", "c" + i));
        }
        AlertEngine engine = engine(RuleFiles.group("g", AlertRule.record("x:puts").expr("cache_puts_total").build()),
                3, new ArrayList<>());
        tick(engine);
        assertThat(engine.storedSeries()).isEqualTo(3);
        assertThat(registry.get("vigil.internal.errors").tag("component", "alerts.series").counter().count())
                .isEqualTo(2); // recorded x:puts is read by no rule, so never stored
    }

    @Test
    void recordingRulesFeedLaterRulesOfTheSameGroupAtTheSameEvaluation() {
        AtomicLong used = new AtomicLong(9);
        MetricCatalog.DB_CLIENT_CONNECTION_PENDING_REQUESTS.gauge(registry, Tags.of("pool", "p"), used, AtomicLong::get);
        List<AlertEngine.Alert> alerts = new ArrayList<>();
        AlertEngine engine = engine(RuleFiles.group("g",
                AlertRule.record("pool:pending:x2").expr("db_client_connection_pending_requests * 2").build(),
                AlertRule.alert("Pending").expr("pool:pending:x2 > 10")
                        .annotation("summary", "{{ $value }} pending x2 on {{ $labels.pool }}").build()), 1000, alerts);
        tick(engine);
        assertThat(engine.alerts()).singleElement().satisfies(a -> {
            assertThat(a.state()).isEqualTo(AlertEngine.State.FIRING);
            assertThat(a.annotations()).containsEntry("summary", "18 pending x2 on p");
            assertThat(a.labels()).containsEntry("alertname", "Pending").containsEntry("pool", "p")
                    .doesNotContainKey("__name__");
            assertThat(a.fingerprint()).isEqualTo(Fingerprint.of(Labels.of(a.labels())));
        });
    }

    @Test
    void aFailingRuleIsCountedAndTheOthersGoOn() {
        MetricCatalog.CACHE_PUTS.counter(registry, Tags.of("cache", "a"));
        MetricCatalog.CACHE_EVICTIONS.counter(registry, Tags.of("cache", "a"));
        MetricCatalog.CACHE_EVICTIONS.counter(registry, Tags.of("cache", "b"));
        List<AlertEngine.Alert> alerts = new ArrayList<>();
        AlertEngine engine = engine(RuleFiles.group("g",
                // many-to-many: two eviction series match the one-label-less side twice
                AlertRule.alert("Broken").expr("cache_evictions_total + ignoring(cache) cache_evictions_total").build(),
                AlertRule.alert("Works").expr("cache_puts_total >= 0").build()), 1000, alerts);
        tick(engine);
        tick(engine);
        assertThat(engine.alerts()).extracting(AlertEngine.Alert::name).containsExactly("Works");
        assertThat(registry.get("vigil.internal.errors").tag("component", "alerts.rules").counter().count())
                .isEqualTo(2);
    }

    @Test
    void forAndKeepFiringForFollowPrometheus() {
        AtomicLong value = new AtomicLong(1);
        MetricCatalog.DB_CLIENT_CONNECTION_PENDING_REQUESTS.gauge(registry, Tags.of("pool", "p"), value, AtomicLong::get);
        List<AlertEngine.Alert> alerts = new ArrayList<>();
        AlertEngine engine = engine(RuleFiles.group("g", AlertRule.alert("Waiting")
                .expr("db_client_connection_pending_requests > 0").forDuration(Duration.ofSeconds(30))
                .keepFiringFor(Duration.ofSeconds(45)).build()), 1000, alerts);
        tick(engine);
        assertThat(engine.alerts().get(0).state()).isEqualTo(AlertEngine.State.PENDING);
        tick(engine);
        assertThat(engine.alerts().get(0).state()).isEqualTo(AlertEngine.State.PENDING);
        tick(engine);
        assertThat(engine.alerts().get(0).state()).isEqualTo(AlertEngine.State.FIRING);
        value.set(0);
        tick(engine);
        tick(engine);
        tick(engine);
        assertThat(engine.alerts().get(0).state()).isEqualTo(AlertEngine.State.FIRING);
        tick(engine);
        assertThat(engine.alerts()).isEmpty();
        assertThat(alerts.get(alerts.size() - 1).state()).isEqualTo(AlertEngine.State.RESOLVED);
        assertThat(alerts.get(alerts.size() - 1).resolvedAt()).isEqualTo(clock.instant());
    }

    @Test
    void needsThePrometheusView() {
        assertThatThrownBy(() -> AlertEngine.builder(new SimpleMeterRegistry()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PrometheusMeterRegistry");
        var composite = new io.micrometer.core.instrument.composite.CompositeMeterRegistry();
        composite.add(registry);
        engines.add(AlertEngine.builder(composite).build());
    }

    @Test
    void scheduledOnOneDaemonThread() throws Exception {
        AlertEngine engine = AlertEngine.builder(registry).interval(Duration.ofMillis(20)).build().start();
        engines.add(engine);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet()
                .stream().anyMatch(t -> t.getName().equals("vigil-alerts") && t.isDaemon()));
        engine.close();
    }
}
