package io.vigil.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.redis.LettuceMonitoring;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One Redis command through Lettuce's synchronous API, against a real redis-server on loopback: what a
 * command costs bare, with Vigil, and with Lettuce's own Micrometer metrics (the peer).
 *
 * <p>Setup, per trial: one redis-server (embedded-redis's 6.2 binary, no persistence) on a free loopback port,
 * holding the key {@code GET} reads. Each variant has its own {@link ClientResources}, {@link RedisClient} and
 * connection, opened in {@code @Setup} against that same server, so every variant runs the same command on the
 * same server; they differ only in their instrumentation:
 * <ul>
 *   <li>{@code bare}: no instrumentation. Lettuce's default {@code ClientResources} switch on its
 *       {@code DefaultCommandLatencyCollector} (latencies per command, published on the event bus) whenever
 *       HdrHistogram and LatencyUtils are on the class path; LatencyUtils is not in this jar, but an
 *       application may have it, so the collector is switched off explicitly with
 *       {@link CommandLatencyRecorder#disabled()}: the baseline is the command alone.</li>
 *   <li>{@code vigil}: {@link LettuceMonitoring#instrument} with its defaults (no histogram buckets, no INFO
 *       polling) on its own {@link PrometheusMeterRegistry}, built before the connection is opened. Its
 *       {@code ClientResources} also have the default latency collector disabled, exactly like {@code bare},
 *       so the difference between the two is Vigil alone. A {@code GET} records
 *       {@code db.client.operation.duration} and a {@code cache.gets} hit; a {@code SET} the timer and a
 *       {@code cache.puts}.</li>
 *   <li>{@code lettuceMicrometer}: what Spring Boot wires up for Lettuce (its
 *       {@code LettuceMetricsAutoConfiguration}): {@link MicrometerCommandLatencyRecorder} with
 *       {@link MicrometerOptions#create()} set as the {@code ClientResources}' command latency recorder, on its
 *       own {@link PrometheusMeterRegistry}. With these defaults it records two plain timers per command
 *       ({@code lettuce.command.firstresponse} and {@code lettuce.command.completion}, tagged command, local
 *       and remote address; no histogram, and its target percentiles only apply with the histogram on), found
 *       through a map keyed by a {@code CommandLatencyId} it creates per command.</li>
 * </ul>
 * {@code @Setup} checks with one command per instrumented variant that its registry really records, so a
 * silently detached instrumentation cannot pass for a cheap one.
 *
 * <p>Single-threaded: the figure is one round trip over loopback (tens of microseconds), of which the
 * instrumentation is a small part; the differences between variants are the point, not the absolute time.
 */
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class RedisLettuceBenchmark {

    private static final String KEY = "session:7f3a9c21";
    private static final String VALUE = "{\"user\":48213,\"roles\":[\"reader\"],\"exp\":1767225600}";

    private EmbeddedRedisServer server;
    private LettuceVariant bare;
    private LettuceVariant vigil;
    private LettuceVariant lettuceMicrometer;

    @Setup(Level.Trial)
    public void setUp() {
        server = EmbeddedRedisServer.start();
        RedisURI uri = RedisURI.create(EmbeddedRedisServer.HOST, server.port());

        bare = LettuceVariant.bare(uri);
        vigil = LettuceVariant.vigil(uri);
        lettuceMicrometer = LettuceVariant.lettuceMicrometer(uri);

        bare.commands.set(KEY, VALUE);
        vigil.expectRecorded("db.client.operation.duration");
        lettuceMicrometer.expectRecorded("lettuce.command.completion");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            for (LettuceVariant variant : new LettuceVariant[] {bare, vigil, lettuceMicrometer}) {
                if (variant != null) {
                    variant.close();
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Benchmark
    public String get_bare() {
        return bare.commands.get(KEY);
    }

    @Benchmark
    public String get_vigil() {
        return vigil.commands.get(KEY);
    }

    @Benchmark
    public String get_lettuceMicrometer() {
        return lettuceMicrometer.commands.get(KEY);
    }

    @Benchmark
    public String set_bare() {
        return bare.commands.set(KEY, VALUE);
    }

    @Benchmark
    public String set_vigil() {
        return vigil.commands.set(KEY, VALUE);
    }

    @Benchmark
    public String set_lettuceMicrometer() {
        return lettuceMicrometer.commands.set(KEY, VALUE);
    }

    /** One variant's own resources, client, connection and (when instrumented) registry. */
    private static final class LettuceVariant {
        final ClientResources resources;
        final RedisClient client;
        final MeterRegistry registry;
        final LettuceMonitoring monitoring;
        final StatefulRedisConnection<String, String> connection;
        final RedisCommands<String, String> commands;

        private LettuceVariant(ClientResources resources, RedisURI uri, MeterRegistry registry, boolean vigil) {
            this.resources = resources;
            this.client = RedisClient.create(resources, uri);
            this.registry = registry;
            // Vigil's listeners must be on the client before the connection is opened.
            this.monitoring = vigil ? LettuceMonitoring.instrument(client, registry) : null;
            this.connection = client.connect();
            this.commands = connection.sync();
        }

        static LettuceVariant bare(RedisURI uri) {
            return new LettuceVariant(withoutLatencyCollector(), uri, null, false);
        }

        static LettuceVariant vigil(RedisURI uri) {
            return new LettuceVariant(withoutLatencyCollector(), uri, Registries.vigil(), true);
        }

        static LettuceVariant lettuceMicrometer(RedisURI uri) {
            MeterRegistry registry = Registries.peer();
            ClientResources resources = ClientResources.builder()
                    .commandLatencyRecorder(new MicrometerCommandLatencyRecorder(registry, MicrometerOptions.create()))
                    .build();
            return new LettuceVariant(resources, uri, registry, false);
        }

        private static ClientResources withoutLatencyCollector() {
            return ClientResources.builder().commandLatencyRecorder(CommandLatencyRecorder.disabled()).build();
        }

        /** Runs one GET and waits (listeners may run on Lettuce's I/O thread) until {@code timer} counted it. */
        void expectRecorded(String timer) {
            commands.get(KEY);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (registry.find(timer).timers().stream().mapToLong(Timer::count).sum() == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(timer + " recorded nothing: the instrumentation is not attached");
                }
                Thread.onSpinWait();
            }
        }

        void close() {
            try {
                connection.close();
                if (monitoring != null) {
                    monitoring.close();
                }
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            } finally {
                resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            }
        }
    }
}
