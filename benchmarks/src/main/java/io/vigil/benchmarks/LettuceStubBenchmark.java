package io.vigil.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.concurrent.TimeUnit;

/**
 * What Vigil adds to one synchronous-style Lettuce GET, to a few nanoseconds, without I/O: see
 * {@link LettuceStub}. Both variants run Lettuce's own command path over the same {@link StubChannelWriter};
 * the Vigil variant adds Lettuce's listener machinery and Vigil's listener, as a connection of an instrumented
 * client has them; {@code get_noopListener} splits that into Lettuce's share and Vigil's. After each trial Vigil must have counted exactly the GETs the stub answered.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class LettuceStubBenchmark {

    private LettuceStub stub;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        String benchmark = params.getBenchmark();
        stub = benchmark.endsWith("_vigil") ? LettuceStub.vigil()
                : benchmark.endsWith("_noopListener") ? LettuceStub.noopListener() : LettuceStub.bare();
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        try {
            if (params.getBenchmark().endsWith("_vigil")) {
                stub.verifyRecorded(stub.sent());
            }
        } finally {
            stub.close();
        }
    }

    @Benchmark
    public long get_bare() {
        return stub.get();
    }

    @Benchmark
    public long get_vigil() {
        return stub.get();
    }

    /** Not a variant users run: the part of {@code get_vigil}'s cost that Lettuce charges any listener. */
    @Benchmark
    public long get_noopListener() {
        return stub.get();
    }
}
