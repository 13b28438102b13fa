package io.vigil.redis;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.executors.CommandExecutor;
import redis.clients.jedis.executors.DefaultCommandExecutor;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;

import java.time.Duration;
import java.util.Objects;

/**
 * Instruments Jedis 8 clients ({@code RedisClient}, {@code RedisClusterClient}, any {@code UnifiedJedis})
 * through the {@link CommandExecutor} every command goes through: command latency and errors
 * ({@code db.client.operation.duration}), cache reads and writes ({@code cache.gets}, {@code cache.puts}),
 * pooled connection events ({@code redis.connection.events}) and, when given the server, INFO gauges.
 *
 * <pre>{@code
 * JedisMonitoring monitoring = JedisMonitoring.builder(registry).cacheName("sessions")
 *         .serverInfo(hostAndPort, config)         // optional: INFO gauges
 *         .build();
 * RedisClient jedis = monitoring.redisClient(hostAndPort, config);
 *
 * // or with a client built by the application:
 * ConnectionProvider provider = monitoring.connectionProvider(hostAndPort, config, poolConfig);
 * RedisClient jedis = RedisClient.builder().hostAndPort(hostAndPort).clientConfig(config)
 *         .connectionProvider(provider).commandExecutor(monitoring.commandExecutor(provider)).build();
 * }</pre>
 *
 * <p>Pipelines and transactions ({@code pipelined()}, {@code multi()}) write to a connection directly,
 * bypassing the executor, and are not timed per command.
 */
public final class JedisMonitoring implements AutoCloseable {

    private final RedisClientMetrics metrics;
    private final ServerInfoPoller poller;

    private JedisMonitoring(Builder builder) {
        MonitoringSettings settings = builder.settings;
        JedisClientConfig infoConfig = builder.serverInfoConfig;
        this.metrics = new RedisClientMetrics(builder.registry, "redis.jedis",
                settings.namespace(infoConfig == null ? 0 : infoConfig.getDatabase()), settings.cacheName,
                settings.histogram, JedisTimingExecutor.COMMANDS.length,
                ordinal -> JedisTimingExecutor.COMMANDS[ordinal].name());
        if (builder.serverInfo != null) {
            settings.checkPollTimeout();
            HostAndPort server = builder.serverInfo;
            this.poller = new ServerInfoPoller(builder.registry, settings.server(server.getHost(), server.getPort()),
                    settings.cacheName, new JedisInfoSource(server, infoConfig, settings.pollTimeout),
                    settings.pollInterval, metrics.internalErrors());
        } else {
            this.poller = null;
        }
    }

    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    /** An executor that runs commands on {@code provider}'s connections, as Jedis's default one does, timed. */
    public CommandExecutor commandExecutor(ConnectionProvider provider) {
        return decorate(new DefaultCommandExecutor(Objects.requireNonNull(provider, "provider")));
    }

    /** Times the commands {@code delegate} executes (for retrying or cluster executors the application chose). */
    public CommandExecutor decorate(CommandExecutor delegate) {
        return new JedisTimingExecutor(Objects.requireNonNull(delegate, "delegate"), metrics);
    }

    /** A pooled connection provider that counts the pool's {@code connect} and {@code disconnect} events. */
    public PooledConnectionProvider connectionProvider(HostAndPort hostAndPort, JedisClientConfig config) {
        return connectionProvider(hostAndPort, config, new GenericObjectPoolConfig<>());
    }

    public PooledConnectionProvider connectionProvider(HostAndPort hostAndPort, JedisClientConfig config,
            GenericObjectPoolConfig<Connection> poolConfig) {
        Objects.requireNonNull(hostAndPort, "hostAndPort");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(poolConfig, "poolConfig");
        return new PooledConnectionProvider(new JedisCountingConnectionFactory(hostAndPort, config, metrics),
                poolConfig);
    }

    /** A pooled {@link RedisClient} to {@code hostAndPort}, fully instrumented; closing it closes its pool. */
    public RedisClient redisClient(HostAndPort hostAndPort, JedisClientConfig config) {
        PooledConnectionProvider provider = connectionProvider(hostAndPort, config);
        return RedisClient.builder().hostAndPort(hostAndPort).clientConfig(config).connectionProvider(provider)
                .commandExecutor(commandExecutor(provider)).build();
    }

    /** Runs one INFO poll now, on the caller's thread (for tests and for an immediate refresh). */
    void pollNow() {
        if (poller != null) {
            poller.poll();
        }
    }

    /** Stops INFO polling; executors already handed out keep timing (they belong to their clients). */
    @Override
    public void close() {
        if (poller != null) {
            poller.close();
        }
    }


    public static final class Builder {
        private final MeterRegistry registry;
        private final MonitoringSettings settings = new MonitoringSettings();
        private HostAndPort serverInfo;
        private JedisClientConfig serverInfoConfig;

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * The {@code cache} tag of {@code cache.gets}, {@code cache.puts} and {@code cache.evictions};
         * default {@code redis}.
         */
        public Builder cacheName(String name) {
            settings.cacheName(name);
            return this;
        }

        /** The {@code db.namespace} tag; default the {@link #serverInfo} config's database, else 0. */
        public Builder database(int index) {
            settings.database(index);
            return this;
        }

        /**
         * Polls INFO from this server on a connection of Vigil's own (with {@code config}'s credentials and
         * the poll timeout) and publishes the server gauges, tagged {@code server=host:port} unless
         * {@link #server} says otherwise.
         */
        public Builder serverInfo(HostAndPort hostAndPort, JedisClientConfig config) {
            this.serverInfo = Objects.requireNonNull(hostAndPort, "hostAndPort");
            this.serverInfoConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The {@code server} tag of the INFO gauges, for example a stable DNS name instead of an address. */
        public Builder server(String name) {
            settings.server(name);
            return this;
        }

        /** How often INFO is polled; default 15 s. */
        public Builder pollInterval(Duration interval) {
            settings.pollInterval(interval);
            return this;
        }

        /** How long one INFO poll may take (connect and reply); default 2 s, at most the interval. */
        public Builder pollTimeout(Duration timeout) {
            settings.pollTimeout(timeout);
            return this;
        }

        /** Publishes histogram buckets for command latency (off by default: buckets multiply series). */
        public Builder histogram(boolean enabled) {
            settings.histogram = enabled;
            return this;
        }

        public JedisMonitoring build() {
            return new JedisMonitoring(this);
        }
    }
}
