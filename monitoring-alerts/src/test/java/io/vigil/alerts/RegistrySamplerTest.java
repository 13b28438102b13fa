package io.vigil.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.vigil.alerts.promql.Labels;
import io.vigil.core.catalog.CommonTags;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sampler reads the registry's snapshots instead of its text: this proves, over every meter type and every
 * kind of family the Prometheus client's text writer knows, that it yields exactly the series (names, label sets,
 * {@code le} and {@code quantile} text) and values that {@code /metrics} shows, parsed by the test kit's own
 * reader of the text format.
 */
class RegistrySamplerTest {

    private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final MockClock clock = new MockClock();
    /** Function meters hold their object weakly: keep it. */
    private final AtomicLong evictions = new AtomicLong(7);

    @Test
    void everyMeterTypeGivesTheSeriesAndValuesOfTheText() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                new PrometheusRegistry(), clock);
        registerEverything(registry);
        RegistrySampler sampler = new RegistrySampler(registry);

        Map<Long, Labels> keys = new HashMap<>();
        Map<Labels, Long> first = assertSameAsText(registry, sampler, keys);
        // The catalog's timers, the SLO buckets and the escaping are really there: the comparison is not vacuous.
        assertThat(first).containsKey(Labels.of("__name__", "http_server_requests_seconds_bucket", "method", "GET",
                "uri", "/orders/{id}", "status", "200", "outcome", "SUCCESS", "exception", "none",
                "service", "checkout", "instance", "api-1", "le", "0.1"));
        assertThat(first.keySet()).extracting(l -> l.get("le")).contains("0.005", "0.05", "1.0", "+Inf", "1.0E-6");
        assertThat(first.keySet()).extracting(l -> l.get("quantile")).contains("0.5", "0.95");
        assertThat(first.keySet()).extracting(l -> l.get("path")).contains("a \"quoted\" \\ back\nslash, {x=1} é ✓");
        assertThat(first.keySet()).extracting(l -> l.get(Labels.METRIC_NAME)).contains("jobs_active_seconds_gcount",
                "jobs_active_seconds_gsum", "jobs_idle_seconds_count", "cache_evictions_total", "build_info",
                "feature_flags", "queue_depth_gcount", "legacy_total", "events_events_total", "rpc_latency_seconds",
                "payload_bytes_max", "mystery", "native_requests_total", "native_summary", "custom_sum_total",
                "pool" /* a gauge named "pool.created": the writer drops a gauge's ".created" */);
        assertThat(Double.longBitsToDouble(first.get(Labels.of("__name__", "temperature_celsius", "sensor", "nan",
                "service", "checkout", "instance", "api-1")))).isNaN();

        // A later scrape, values changed and a series added: the same keys find the same series again.
        change(registry);
        assertSameAsText(registry, sampler, keys);
    }

    @Test
    void createdSeriesAppearExactlyWhenTheRegistrysWriterWritesThem() {
        for (String inMillis : new String[] {null, "true", "false"}) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(new PrometheusConfig() {
                @Override
                public String get(String key) {
                    return null;
                }

                @Override
                public Properties prometheusProperties() {
                    Properties properties = PrometheusConfig.super.prometheusProperties();
                    if (inMillis != null) {
                        properties.setProperty("io.prometheus.exporter.include_created_timestamps", "true");
                        properties.setProperty("io.prometheus.exporter.prometheus_timestamps_in_ms", inMillis);
                    }
                    return properties;
                }
            }, new PrometheusRegistry(), clock);
            clock.add(Duration.ofMillis(1_733_000_000_123L));
            registerEverything(registry);
            Map<Labels, Long> samples = assertSameAsText(registry, new RegistrySampler(registry), new HashMap<>());
            assertThat(samples.keySet().stream().anyMatch(l -> l.get(Labels.METRIC_NAME).endsWith("_created")))
                    .as("created series with prometheus_timestamps_in_ms=%s", inMillis).isEqualTo(inMillis != null);
        }
    }

    /** Both views of one scrape agree sample for sample; returns labels → value bits. */
    private static Map<Labels, Long> assertSameAsText(PrometheusMeterRegistry registry, RegistrySampler sampler,
            Map<Long, Labels> keys) {
        Map<Labels, Long> fromText = new TreeMap<>();
        List<PrometheusScrape.Sample> lines = PrometheusScrape.parse(registry.scrape(TEXT)).samples();
        for (PrometheusScrape.Sample sample : lines) {
            Map<String, String> labels = new TreeMap<>(sample.labels());
            labels.put(Labels.METRIC_NAME, sample.name());
            fromText.put(Labels.of(labels), Double.doubleToLongBits(sample.value()));
        }
        Map<Labels, Long> sampled = new TreeMap<>();
        List<Labels> order = new ArrayList<>();
        sampler.forEachSample((key, series, value) -> {
            Labels labels = series.labels();
            order.add(labels);
            sampled.put(labels, Double.doubleToLongBits(value));
            Labels before = keys.putIfAbsent(key, labels);
            assertThat(before).as("key %s", key).isIn(null, labels);
        });
        Map<Labels, Long> onlyText = new TreeMap<>(fromText);
        onlyText.entrySet().removeAll(sampled.entrySet());
        Map<Labels, Long> onlySampled = new TreeMap<>(sampled);
        onlySampled.entrySet().removeAll(fromText.entrySet());
        assertThat(onlySampled).as("sampled, not in the text (text has %s)", onlyText).isEmpty();
        assertThat(onlyText).as("in the text, not sampled").isEmpty();
        assertThat(order).hasSameSizeAs(lines);
        // One key per series, and the same key in every scrape.
        assertThat(keys.values()).doesNotHaveDuplicates();
        return sampled;
    }

    private void registerEverything(PrometheusMeterRegistry registry) {
        CommonTags.builder().service("checkout").instance("api-1").build().applyTo(registry);
        // The catalog's HTTP timer: SLO buckets, as the servlet filter registers it.
        MetricCatalog.HTTP_SERVER_REQUESTS.timer(registry, Tags.of("method", "GET", "uri", "/orders/{id}",
                "status", "200", "outcome", "SUCCESS", "exception", "none"), b -> b.serviceLevelObjectives(
                Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(1)))
                .record(3, TimeUnit.MILLISECONDS);
        // Percentile histogram plus SLOs; client-side percentiles; a plain timer.
        Timer.builder("db.query").publishPercentileHistogram().serviceLevelObjectives(Duration.ofMillis(7))
                .minimumExpectedValue(Duration.ofNanos(1000)).tags("db.system", "h2").register(registry)
                .record(12, TimeUnit.MILLISECONDS);
        Timer.builder("rpc.latency").publishPercentiles(0.5, 0.95).register(registry).record(40, TimeUnit.MILLISECONDS);
        Timer.builder("plain.timer").register(registry);
        DistributionSummary.builder("payload").baseUnit("bytes").serviceLevelObjectives(100, 1000, 1e6)
                .register(registry).record(512);
        DistributionSummary.builder("ratio").publishPercentileHistogram().maximumExpectedValue(10.0)
                .register(registry).record(0.25);
        // Tags whose values need escaping in the text, and tag keys the naming convention rewrites.
        Counter.builder("http.hits").tag("path", "a \"quoted\" \\ back\nslash, {x=1} é ✓").tag("content-type", "")
                .register(registry).increment(3);
        Counter.builder("events").baseUnit("events").register(registry).increment();
        Counter.builder("legacy.total").register(registry).increment(2);
        // Gauges: NaN, infinities, signed zero, extremes, random doubles (their shortest text must read back exact).
        gauge(registry, "temperature", "nan", Double.NaN);
        gauge(registry, "temperature", "hot", Double.POSITIVE_INFINITY);
        gauge(registry, "temperature", "cold", Double.NEGATIVE_INFINITY);
        gauge(registry, "temperature", "zero", -0.0);
        gauge(registry, "temperature", "max", Double.MAX_VALUE);
        gauge(registry, "temperature", "min", Double.MIN_VALUE);
        Random random = new Random(42);
        for (int i = 0; i < 50; i++) {
            gauge(registry, "temperature", "r" + i, Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL)
                    * (i % 2 == 0 ? 1 : -1));
            gauge(registry, "temperature", "u" + i, random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
        }
        Gauge.builder("pool.created", () -> 5).register(registry);
        TimeGauge.builder("uptime", () -> 1500, TimeUnit.MILLISECONDS).register(registry);
        FunctionCounter.builder("cache.evictions", evictions, AtomicLong::get).register(registry);
        FunctionTimer.builder("batch", evictions, AtomicLong::get, n -> n.get() * 1.5, TimeUnit.SECONDS).register(registry);
        LongTaskTimer jobs = LongTaskTimer.builder("jobs.active").publishPercentileHistogram().register(registry);
        jobs.start();
        clock.add(Duration.ofSeconds(3));
        jobs.start();
        LongTaskTimer.builder("jobs.idle").register(registry);
        Meter.builder("custom", Meter.Type.OTHER, List.of(new Measurement(() -> 1, Statistic.TOTAL),
                new Measurement(() -> 2, Statistic.COUNT), new Measurement(() -> 3, Statistic.VALUE),
                new Measurement(() -> 4, Statistic.UNKNOWN), new Measurement(() -> 5, Statistic.ACTIVE_TASKS),
                new Measurement(() -> 6, Statistic.DURATION), new Measurement(() -> 7, Statistic.MAX),
                new Measurement(() -> 8, Statistic.TOTAL_TIME))).register(registry);
        // Families Micrometer never makes but a collector registered with the Prometheus client may.
        PrometheusRegistry client = registry.getPrometheusRegistry();
        client.register(() -> InfoSnapshot.builder().name("build").dataPoint(InfoSnapshot.InfoDataPointSnapshot
                .builder().labels(io.prometheus.metrics.model.snapshots.Labels.of("version", "1.2.3")).build()).build());
        client.register(() -> StateSetSnapshot.builder().name("feature_flags").dataPoint(StateSetSnapshot
                .StateSetDataPointSnapshot.builder().state("dark_mode", true).state("beta", false)
                .labels(io.prometheus.metrics.model.snapshots.Labels.of("env", "prod")).build()).build());
        client.register(() -> UnknownSnapshot.builder().name("mystery").dataPoint(UnknownSnapshot
                .UnknownDataPointSnapshot.builder().value(0.5).build()).build());
        client.register(() -> HistogramSnapshot.builder().name("queue_depth").gaugeHistogram(true)
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(new double[] {1, 10,
                                Double.POSITIVE_INFINITY}, new long[] {2, 3, 1})).sum(17).build()).build());
        client.register(() -> SummarySnapshot.builder().name("native_summary").dataPoint(SummarySnapshot
                .SummaryDataPointSnapshot.builder().quantiles(Quantiles.builder().quantile(0.99, 3.5).build())
                .count(4).sum(9).createdTimestampMillis(1_700_000_000_001L).build()).build());
        client.register(() -> CounterSnapshot.builder().name("native_requests").dataPoint(CounterSnapshot
                .CounterDataPointSnapshot.builder().value(12).createdTimestampMillis(1_700_000_000_999L).build())
                .build());
        client.register(() -> GaugeSnapshot.builder().name("native_gauge").dataPoint(GaugeSnapshot
                .GaugeDataPointSnapshot.builder().value(-3).scrapeTimestampMillis(1_700_000_000_000L).build())
                .build());
    }

    private static void gauge(PrometheusMeterRegistry registry, String name, String sensor, double value) {
        Gauge.builder(name, () -> value).baseUnit("celsius").tag("sensor", sensor).register(registry);
    }

    private void change(PrometheusMeterRegistry registry) {
        registry.get("http.server.requests").timer().record(700, TimeUnit.MILLISECONDS);
        registry.get("db.query").timer().record(2, TimeUnit.SECONDS);
        registry.get("payload").summary().record(5000);
        registry.get("events").counter().increment(40);
        clock.add(Duration.ofSeconds(10));
        Counter.builder("http.hits").tag("path", "/new").register(registry).increment();
    }
}
