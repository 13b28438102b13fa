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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.executors.CommandExecutor;
import redis.clients.jedis.executors.DefaultCommandExecutor;
import redis.clients.jedis.providers.PooledConnectionProvider;

import java.util.concurrent.TimeUnit;

/**
 * One Redis command through a pooled Jedis 8 client against a real redis-server on loopback: what a command
 * costs bare and with Vigil. (Jedis 8 has no {@code JedisPooled} any more; its pooled {@code UnifiedJedis} is
 * {@link RedisClient}.)
 *
 * <p>Setup, per trial: one redis-server (embedded-redis's 6.2 binary, no persistence) on a free loopback port,
 * holding the key {@code GET} reads. Each variant has its own {@link RedisClient} with its own connection pool,
 * built in {@code @Setup} from the same {@link JedisClientConfig} (Jedis defaults) and a fresh
 * {@link ConnectionPoolConfig} (the pool configuration Jedis's own builder uses by default), so both borrow
 * and return a pooled connection per command in the same way:
 * <ul>
 *   <li>{@code bare}: exactly what {@code RedisClient.builder().hostAndPort(...).build()} creates, spelled
 *       out: a {@link PooledConnectionProvider} and a {@link DefaultCommandExecutor} on it.</li>
 *   <li>{@code vigil}: {@link JedisMonitoring} with its defaults (no histogram buckets, no INFO polling) on its
 *       own {@link PrometheusMeterRegistry}; the same client wired with Vigil's provider (counts pool
 *       connect/disconnect, nothing per command) and Vigil's timing {@link CommandExecutor}. A {@code GET}
 *       records {@code db.client.operation.duration} and a {@code cache.gets} hit; a {@code SET} the timer
 *       and a {@code cache.puts}.</li>
 * </ul>
 * Jedis has no metrics of its own, so there is no peer here. {@code @Setup} checks with one command that
 * Vigil's registry really records.
 *
 * <p>Single-threaded: the figure is one round trip over loopback (tens of microseconds), of which the
 * instrumentation is a small part; the difference between the variants is the point, not the absolute time.
 */
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class RedisJedisBenchmark {

    private static final String KEY = "session:7f3a9c21";
    private static final String VALUE = "{\"user\":48213,\"roles\":[\"reader\"],\"exp\":1767225600}";

    private EmbeddedRedisServer server;
    private RedisClient bare;
    private JedisMonitoring monitoring;
    private RedisClient vigil;

    @Setup(Level.Trial)
    public void setUp() {
        server = EmbeddedRedisServer.start();
        HostAndPort hostAndPort = new HostAndPort(EmbeddedRedisServer.HOST, server.port());
        JedisClientConfig config = DefaultJedisClientConfig.builder().build();

        PooledConnectionProvider bareProvider = new PooledConnectionProvider(hostAndPort, config,
                new ConnectionPoolConfig());
        bare = RedisClient.builder().hostAndPort(hostAndPort).clientConfig(config).connectionProvider(bareProvider)
                .commandExecutor(new DefaultCommandExecutor(bareProvider)).build();

        PrometheusMeterRegistry registry = Registries.vigil();
        monitoring = JedisMonitoring.builder(registry).build();
        PooledConnectionProvider vigilProvider = monitoring.connectionProvider(hostAndPort, config,
                new ConnectionPoolConfig());
        vigil = RedisClient.builder().hostAndPort(hostAndPort).clientConfig(config)
                .connectionProvider(vigilProvider).commandExecutor(monitoring.commandExecutor(vigilProvider))
                .build();

        bare.set(KEY, VALUE);
        vigil.get(KEY);
        if (registry.find("db.client.operation.duration").timers().stream().mapToLong(Timer::count).sum() == 0) {
            throw new IllegalStateException("Vigil recorded nothing: the instrumentation is not attached");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            // Closing a client closes its executor, which closes its provider and pool.
            if (bare != null) {
                bare.close();
            }
            if (vigil != null) {
                vigil.close();
            }
            if (monitoring != null) {
                monitoring.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Benchmark
    public String get_bare() {
        return bare.get(KEY);
    }

    @Benchmark
    public String get_vigil() {
        return vigil.get(KEY);
    }

    @Benchmark
    public String set_bare() {
        return bare.set(KEY, VALUE);
    }

    @Benchmark
    public String set_vigil() {
        return vigil.set(KEY, VALUE);
    }
}
