package io.vigil.benchmarks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vigil.core.app.ActiveUsers;
import io.vigil.core.cardinality.CardinalityGuard;
import io.vigil.core.cardinality.TagLimiter;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.normalize.PathNormalizer;
import io.vigil.core.normalize.SqlOperation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The building blocks of every hot path: what each costs on its own, per call.
 * Names are {@code workload_variant}; {@code bare} is the baseline of its workload.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class CoreBenchmark {

    private static final String TEMPLATE = "/api/v1/users/{id}/orders";
    private static final String RAW_PATH = "/api/v1/users/48213/orders/550e8400-e29b-41d4-a716-446655440000";
    private static final String SELECT = "SELECT id, name, email FROM users WHERE id = ? AND tenant = ?";
    private static final String CTE = "/* report */ WITH recent AS (SELECT * FROM orders WHERE ts > ?) "
            + "SELECT count(*) FROM recent";

    private TagLimiter limiter;
    private MeterRegistry registry;
    private Timer cachedTimer;
    private Timer histogramTimer;
    private io.micrometer.core.instrument.DistributionSummary sizeSummary;
    private ActiveUsers activeUsers;
    private String[] principals;
    private int next;

    @Setup
    public void setUp() {
        registry = Registries.vigil();
        limiter = CardinalityGuard.create(registry).limiter(MetricCatalog.HTTP_SERVER_REQUESTS, "uri");
        for (int i = 0; i < 50; i++) {
            limiter.limit("/route/" + i);
        }
        limiter.limit(TEMPLATE);
        cachedTimer = timer();
        histogramTimer = Timer.builder("http.server.requests").tags(Tags.of("method", "GET", "uri", "/histogram",
                "status", "200", "outcome", "SUCCESS")).publishPercentileHistogram().register(registry);
        sizeSummary = io.micrometer.core.instrument.DistributionSummary.builder("http.server.response.size")
                .baseUnit("bytes").tags(Tags.of("method", "GET", "uri", "/histogram")).register(registry);
        activeUsers = ActiveUsers.register(registry, List.of(Duration.ofMinutes(5), Duration.ofHours(1)));
        principals = new String[1024];
        for (int i = 0; i < principals.length; i++) {
            principals[i] = "user-" + (i * 7919);
        }
    }

    @Benchmark
    public String cardinalityGuard_knownValue() {
        return limiter.limit(TEMPLATE);
    }

    @Benchmark
    public String pathNormalizer_cleanTemplate() {
        return PathNormalizer.normalize(TEMPLATE);
    }

    @Benchmark
    public String pathNormalizer_idsAndUuid() {
        return PathNormalizer.normalize(RAW_PATH);
    }

    @Benchmark
    public SqlOperation sqlVerb_select() {
        return SqlOperation.of(SELECT);
    }

    @Benchmark
    public SqlOperation sqlVerb_commentAndCte() {
        return SqlOperation.of(CTE);
    }

    /** Baseline: what a call site pays with a timer it already holds. */
    @Benchmark
    public void meterLookup_bare() {
        cachedTimer.record(1_000, TimeUnit.NANOSECONDS);
    }

    /** What Vigil avoids on hot paths: Micrometer's builder lookup by tags on every call. */
    @Benchmark
    public void meterLookup_builderPerCall() {
        timer().record(1_000, TimeUnit.NANOSECONDS);
    }

    /** The building blocks of the filter's cost: one clock read (the filter takes two per request). */
    @Benchmark
    public long clock_nanoTime() {
        return System.nanoTime();
    }

    /** A cached Prometheus timer with the percentile histogram, as {@code http.server.requests} has by default. */
    @Benchmark
    public void meterRecord_timerWithHistogram() {
        histogramTimer.record(1_000_000, TimeUnit.NANOSECONDS);
    }

    /** A cached Prometheus distribution summary, as {@code http.server.response.size}. */
    @Benchmark
    public void meterRecord_summary() {
        sizeSummary.record(512);
    }

    @Benchmark
    public void activeUsers_seen() {
        activeUsers.seen(principals[next++ & 1023]);
    }

    private Timer timer() {
        return Timer.builder("http.server.requests").tags(Tags.of("method", "GET", "uri", TEMPLATE, "status", "200",
                "outcome", "SUCCESS")).register(registry);
    }
}
