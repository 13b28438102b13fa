package io.vigil.benchmarks;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.redis.JedisMonitoring;
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
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

import java.util.concurrent.TimeUnit;

/**
 * What Vigil adds to one Redis command, to a few nanoseconds: a Jedis 8 {@link RedisClient} whose command
 * executor is a {@link StubCommandExecutor} (no server, no I/O), bare or decorated by
 * {@link JedisMonitoring#decorate} with its defaults on its own registry (a {@code GET} records
 * {@code db.client.operation.duration} and a {@code cache.gets} hit). Both variants build the same command
 * objects in the client; the difference is Vigil's executor.
 *
 * <p>No peer: Jedis has no metrics of its own, and Lettuce's {@code MicrometerCommandLatencyRecorder} (like
 * Vigil's Lettuce adapter) is fed by Lettuce's Netty channel pipeline, which has no stand-in without a
 * connection; the Lettuce comparison stays in {@link RedisLettuceBenchmark} against a real server.
 *
 * <p>After each trial Vigil's timer must have counted exactly the commands the stub executed.
 */
@Warmup(iterations = 4, time = 5)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class RedisStubBenchmark {

    static final String KEY = "session:7f3a9c21";
    /** Never connected to: the stub executor answers every command. */
    private static final HostAndPort NOWHERE = new HostAndPort("127.0.0.1", 1);

    private StubCommandExecutor stub;
    private PrometheusMeterRegistry registry;
    private JedisMonitoring monitoring;
    private RedisClient client;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        stub = new StubCommandExecutor();
        if (params.getBenchmark().endsWith("_vigil")) {
            registry = Registries.vigil();
            monitoring = JedisMonitoring.builder(registry).build();
            client = RedisClient.builder().hostAndPort(NOWHERE).commandExecutor(monitoring.decorate(stub)).build();
        } else {
            client = RedisClient.builder().hostAndPort(NOWHERE).commandExecutor(stub).build();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (registry != null) {
                long recorded = registry.find("db.client.operation.duration").timers().stream()
                        .mapToLong(Timer::count).sum();
                if (recorded != stub.commands()) {
                    throw new IllegalStateException("vigil recorded " + recorded + " commands of the "
                            + stub.commands() + " it was sent: the comparison would not be fair");
                }
            }
        } finally {
            client.close();
            if (monitoring != null) {
                monitoring.close();
            }
        }
    }

    @Benchmark
    public String get_bare() {
        return client.get(KEY);
    }

    @Benchmark
    public String get_vigil() {
        return client.get(KEY);
    }
}
