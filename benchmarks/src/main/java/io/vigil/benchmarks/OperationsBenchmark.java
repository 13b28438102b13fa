package io.vigil.benchmarks;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.core.clock.CoarseClock;
import io.vigil.core.operation.Operation;
import io.vigil.core.operation.Operations;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What measuring a block of application code costs, against the bare call and against the same measurement
 * written by hand with Micrometer's {@link Timer.Sample}, in one run. The work is a small non-inlined method
 * (a stand-in for application code); the operation name has been seen, so this is the steady state. Budget
 * (issue 15): at most 100 ns and 0 B/op over {@code bare}.
 *
 * <p>{@code scoped_*}: a try-with-resources block. {@code runnable_*}: a decorated {@code Runnable} (built once,
 * run per call). {@code timerSample} records the same histogram timer with the same tags, looked up once.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class OperationsBenchmark {

    private static final String NAME = "payment.authorize";

    /**
     * {@code compact}: the default, the catalog's 11 latency buckets (as the HTTP timer); {@code none}: no buckets;
     * {@code percentile} (run with {@code -p histogram=percentile}): Micrometer's ~70-bucket percentile histogram.
     */
    @Param({"compact", "none"})
    public String histogram;

    /** {@code app.operations.active} (off by default); run {@code -p active=true} to see its cost. */
    @Param({"false"})
    public boolean active;

    /** The registry's clock; {@link CpuPerCall} sets {@link Clock#SYSTEM} to compare with Micrometer's default. */
    Clock clock = CoarseClock.shared();

    private PrometheusMeterRegistry registry;
    private Operations operations;
    private Timer handWritten;
    private Runnable work;
    private Runnable timedWork;
    private long state;

    @Setup
    public void setUp() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
        Operations.Builder builder = Operations.builder(registry).activeOperations(active);
        if (!histogram.equals("compact")) {
            builder.publishPercentileHistogram(histogram.equals("percentile"));
        }
        operations = builder.build();
        work = this::work;
        timedWork = operations.timed(NAME, work);
        try (Operation op = operations.start(NAME)) {
            work();   // the name is seen: the steady state is measured
        }
        // What a user writes by hand for the same series: same name, tags and buckets (the registry hands back
        // the timer Vigil registered for them, so both record into the same histogram).
        handWritten = Timer.builder("app.operation.duration").tags(Tags.of("operation", NAME, "outcome", "success",
                "exception", "none")).register(registry);
    }

    @TearDown
    public void tearDown() {
        registry.close();
    }

    /** Stand-in application code: cheap, not inlined, with a side effect the JIT cannot drop. */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    void work() {
        state = state * 31 + 7;
    }

    @Benchmark
    public long scoped_bare() {
        work();
        return state;
    }

    @Benchmark
    public long scoped_vigil() {
        try (Operation op = operations.start(NAME)) {
            work();
        }
        return state;
    }

    @Benchmark
    public long scoped_timerSample() {
        Timer.Sample sample = Timer.start(registry);
        try {
            work();
        } finally {
            sample.stop(handWritten);
        }
        return state;
    }

    @Benchmark
    public long runnable_bare() {
        work.run();
        return state;
    }

    @Benchmark
    public long runnable_vigil() {
        timedWork.run();
        return state;
    }

    @Benchmark
    public long runnable_timerSample() {
        handWritten.record(work);
        return state;
    }
}
