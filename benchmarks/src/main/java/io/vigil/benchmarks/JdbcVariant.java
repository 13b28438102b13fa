package io.vigil.benchmarks;

import com.p6spy.engine.event.CompoundJdbcEventListener;
import com.p6spy.engine.event.JdbcEventListener;
import com.p6spy.engine.spy.DefaultJdbcEventListenerFactory;
import com.p6spy.engine.spy.P6DataSource;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.instrumentation.api.internal.SemconvStability;
import io.opentelemetry.instrumentation.jdbc.datasource.JdbcTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.core.clock.CoarseClock;
import io.vigil.jdbc.MonitoredDataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import net.ttddyy.observation.tracing.DataSourceObservationListener;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;

/**
 * One variant of the JDBC suites: the same pool, wrapped (or not) by one instrumentation, each with its own
 * registry so that it pays for real recording. Built once per trial for the variant the running benchmark
 * method names ({@code workload_variant}), so a trial never carries another variant's listeners or threads.
 *
 * <p>How each is configured, and why that is fair:
 * <ul>
 *   <li>{@code bare}: the pool itself.</li>
 *   <li>{@code vigil}: {@code MonitoredDataSource.wrap(pool, registry)} — the defaults: leak detection off,
 *       slow-query log at 1 s, operation timer with buckets 1 ms … 10 s, pool gauges, connection wait/use timers,
 *       rows read.</li>
 *   <li>{@code datasourceProxy}: datasource-proxy's {@code ProxyDataSourceBuilder} with one
 *       {@link QueryTimerListener} (its documented extension point; the library ships no Micrometer listener):
 *       a plain Micrometer timer per execution tagged with the statement verb and outcome — the same
 *       information as Vigil's operation timer, without buckets, recorded from datasource-proxy's own
 *       (millisecond) elapsed time.</li>
 *   <li>{@code p6spy}: {@code new P6DataSource(pool)} with its default modules (spy + logging) and the SLF4J
 *       appender (no spy.log file), logging only statements slower than 1 s ({@code executionThreshold}, the
 *       same threshold as Vigil's slow-query log), so no line is written. P6Spy records no metrics: a
 *       {@link P6ExecutionCounter} listener is added after its own ones, so the variant can prove it saw every
 *       statement.</li>
 *   <li>{@code otelJdbc}: {@code JdbcTelemetry.create(openTelemetry).wrap(pool)} with its defaults (statement spans,
 *       query sanitization on) on an {@code OpenTelemetrySdk} with a real {@code SdkTracerProvider} (always-on
 *       sampling; a span processor that only counts ended spans instead of exporting them) and a real
 *       {@code SdkMeterProvider} (a pull reader that is never collected during measurement, as a Prometheus
 *       scrape endpoint would be between scrapes). Its {@code db.client.operation.duration} histogram is only
 *       emitted with stable database semantic conventions, so {@code database} is added to the system property
 *       {@code otel.semconv-stability.opt-in} (the library's documented switch) before OpenTelemetry reads it.</li>
 *   <li>{@code datasourceMicrometer}: datasource-micrometer's {@code DataSourceObservationListener} as both query
 *       and method listener of a datasource-proxy (its documented standalone setup: connection and query
 *       observations; no result-set proxy) on an {@code ObservationRegistry} whose only handler is Micrometer's
 *       {@code DefaultMeterObservationHandler} on its own registry.</li>
 * </ul>
 * {@link #verifyRecorded()} fails the trial when an instrumented variant has recorded nothing after a probe
 * statement, so a misconfigured peer cannot look cheap by doing no work; where the benchmark knows how many
 * statements it sent (the stub suites), {@link #verifyCounted(long)} checks each recorded exactly that many.
 */
final class JdbcVariant implements AutoCloseable {

    private static final String OTEL_SEMCONV_OPT_IN = "otel.semconv-stability.opt-in";

    static {
        // Read once by p6spy's and OpenTelemetry's static configuration: set before either loads its settings.
        System.setProperty("p6spy.config.appender", "com.p6spy.engine.spy.appender.Slf4JLogger");
        System.setProperty("p6spy.config.executionThreshold", "1000");
        String optIn = System.getProperty(OTEL_SEMCONV_OPT_IN);
        if (optIn == null || optIn.isBlank()) {
            System.setProperty(OTEL_SEMCONV_OPT_IN, "database");
        } else if (!optIn.contains("database")) {
            System.setProperty(OTEL_SEMCONV_OPT_IN, optIn + ",database");
        }
    }

    private final String name;
    private final DataSource dataSource;
    private final Recording recording;

    private JdbcVariant(String name, DataSource dataSource, Recording recording) {
        this.name = name;
        this.dataSource = dataSource;
        this.recording = recording;
    }

    /** The variant named after the {@code _} of a benchmark method name like {@code pointSelect_vigil}. */
    static JdbcVariant forBenchmark(String benchmark, DataSource pool) {
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        return of(method.substring(method.indexOf('_') + 1), pool);
    }

    static JdbcVariant of(String name, DataSource pool) {
        switch (name) {
            case "bare":
                return new JdbcVariant(name, pool, Recording.NONE);
            case "vigil":
                return vigil(pool, CoarseClock.shared());
            case "datasourceProxy":
                return datasourceProxy(pool);
            case "p6spy":
                return p6spy(pool);
            case "otelJdbc":
                return otelJdbc(pool);
            case "datasourceMicrometer":
                return datasourceMicrometer(pool);
            default:
                throw new IllegalArgumentException("No JDBC variant named " + name);
        }
    }

    /** Vigil on a registry with the given clock: {@link CoarseClock} as Vigil recommends, or Micrometer's default. */
    static JdbcVariant vigil(DataSource pool, Clock clock) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                new PrometheusRegistry(), clock);
        MonitoredDataSource monitored = MonitoredDataSource.wrap(pool, registry);
        return new JdbcVariant("vigil", monitored,
                () -> timerCount(registry, "db.client.operation.duration"));
    }

    private static JdbcVariant datasourceProxy(DataSource pool) {
        PrometheusMeterRegistry registry = Registries.peer();
        DataSource proxy = ProxyDataSourceBuilder.create(pool)
                .name("bench")
                .listener(new QueryTimerListener(registry))
                .build();
        return new JdbcVariant("datasourceProxy", proxy, () -> timerCount(registry, QueryTimerListener.NAME));
    }

    private static JdbcVariant p6spy(DataSource pool) {
        P6DataSource p6spy = new P6DataSource(pool);
        P6ExecutionCounter counter = new P6ExecutionCounter();
        // P6Spy's own listeners (its modules), as the default factory builds them, then the counter.
        JdbcEventListener modules = new DefaultJdbcEventListenerFactory().createJdbcEventListener();
        List<JdbcEventListener> listeners = new ArrayList<>();
        if (modules instanceof CompoundJdbcEventListener) {
            listeners.addAll(((CompoundJdbcEventListener) modules).getEventListeners());
        } else {
            listeners.add(modules);
        }
        listeners.add(counter);
        JdbcEventListener all = new CompoundJdbcEventListener(listeners);
        p6spy.setJdbcEventListenerFactory(() -> all);
        return new JdbcVariant("p6spy", p6spy, counter::executions);
    }

    private static JdbcVariant otelJdbc(DataSource pool) {
        if (!SemconvStability.emitStableDatabaseSemconv()) {
            throw new IllegalStateException("OpenTelemetry read its semantic-convention settings before "
                    + OTEL_SEMCONV_OPT_IN + "=database was set (another benchmark in this JVM?): OpenTelemetry "
                    + "JDBC would record no duration histogram");
        }
        OtelPullReader reader = new OtelPullReader();
        CountingSpanProcessor spans = new CountingSpanProcessor();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(spans).build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
                .build();
        DataSource wrapped = JdbcTelemetry.create(sdk).wrap(pool);
        return new JdbcVariant("otelJdbc", wrapped, new Recording() {
            @Override
            public long count() {
                long points = 0;
                for (MetricData metric : reader.collect()) {
                    if (metric.getName().equals("db.client.operation.duration")) {
                        points += metric.getHistogramData().getPoints().stream()
                                .mapToLong(point -> point.getCount()).sum();
                    }
                }
                return Math.min(points, spans.ended());
            }

            @Override
            public void close() {
                sdk.close();
            }
        });
    }

    private static JdbcVariant datasourceMicrometer(DataSource pool) {
        PrometheusMeterRegistry registry = Registries.peer();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(registry));
        DataSourceObservationListener listener = new DataSourceObservationListener(observations);
        DataSource proxy = ProxyDataSourceBuilder.create(pool)
                .name("bench")
                .listener(listener)
                .methodListener(listener)
                .build();
        return new JdbcVariant("datasourceMicrometer", proxy, () -> timerCount(registry, "jdbc.query"));
    }

    private static long timerCount(PrometheusMeterRegistry registry, String name) {
        return registry.find(name).timers().stream().mapToLong(Timer::count).sum();
    }

    String name() {
        return name;
    }

    /** What the benchmark methods call {@code getConnection()} on. */
    DataSource dataSource() {
        return dataSource;
    }

    /** Throws when this variant is instrumented and has recorded nothing so far. */
    void verifyRecorded() {
        if (recording != Recording.NONE && recording.count() == 0) {
            throw new IllegalStateException(name + " recorded nothing: the comparison would not be fair");
        }
    }

    /**
     * Throws unless this variant's instrumentation recorded exactly {@code sent} statements (the uninstrumented
     * {@code bare} records none and is not checked): a peer that drops or double-counts is measured broken.
     */
    void verifyCounted(long sent) {
        if (recording == Recording.NONE) {
            return;
        }
        long recorded = recording.count();
        if (recorded != sent) {
            throw new IllegalStateException(name + " recorded " + recorded + " statements of the " + sent
                    + " it was sent: the comparison would not be fair");
        }
    }

    /**
     * Releases what the instrumentation holds, not the pool (the benchmark owns it; {@code MonitoredDataSource.close()}
     * would close it too, and Vigil holds no thread with leak detection off).
     */
    @Override
    public void close() {
        recording.close();
    }

    @Override
    public String toString() {
        return name;
    }

    /** How many executions a variant has recorded (0 for the uninstrumented ones). */
    private interface Recording {
        Recording NONE = () -> 0;

        long count();

        default void close() {
        }
    }
}
