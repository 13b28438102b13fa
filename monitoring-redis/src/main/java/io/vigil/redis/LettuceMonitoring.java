package io.vigil.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.Objects;

/**
 * Instruments a Lettuce {@code RedisClient} or {@code RedisClusterClient} without changing how the
 * application calls it: command latency and errors ({@code db.client.operation.duration}), cache reads and
 * writes ({@code cache.gets}, {@code cache.puts}), connection events ({@code redis.connection.events}) and,
 * when given the server's URI, server gauges polled from INFO.
 *
 * <pre>{@code
 * RedisClient client = RedisClient.create(uri);
 * LettuceMonitoring monitoring = LettuceMonitoring.builder(client, registry)
 *         .cacheName("sessions")
 *         .serverInfo(uri)            // optional: INFO gauges
 *         .build();                   // before client.connect(): Lettuce fixes listeners per connection
 * StatefulRedisConnection<String, String> connection = client.connect();
 * ...
 * monitoring.close();                 // stops recording and polling
 * }</pre>
 *
 * <p>Lettuce attaches command listeners to a connection when it is opened, so connections opened before
 * {@link Builder#build()} are not instrumented.
 */
public final class LettuceMonitoring implements AutoCloseable {

    private final AbstractRedisClient client;
    private final LettuceCommandRecorder recorder;
    private final LettuceConnectionEvents connectionEvents;
    private final ServerInfoPoller poller;

    private LettuceMonitoring(Builder builder) {
        this.client = builder.client;
        MonitoringSettings settings = builder.settings;
        RedisURI uri = builder.serverInfo;
        RedisClientMetrics metrics = new RedisClientMetrics(builder.registry, "redis.lettuce",
                settings.namespace(uri == null ? 0 : uri.getDatabase()), settings.cacheName, settings.histogram,
                LettuceCommandRecorder.TYPES.length, ordinal -> LettuceCommandRecorder.TYPES[ordinal].name());
        this.recorder = new LettuceCommandRecorder(metrics);
        this.connectionEvents = new LettuceConnectionEvents(metrics);
        if (uri != null) {
            settings.checkPollTimeout();
            this.poller = new ServerInfoPoller(builder.registry, settings.server(uri.getHost(), uri.getPort()),
                    settings.cacheName, new LettuceInfoSource(client.getResources(), uri, settings.pollTimeout),
                    settings.pollInterval, metrics.internalErrors());
        } else {
            this.poller = null;
        }
        client.addListener(recorder);
        client.addListener(connectionEvents);
    }

    /** Instruments {@code client} with the defaults: cache name {@code redis}, database 0, no INFO polling. */
    public static LettuceMonitoring instrument(AbstractRedisClient client, MeterRegistry registry) {
        return builder(client, registry).build();
    }

    public static Builder builder(AbstractRedisClient client, MeterRegistry registry) {
        return new Builder(client, registry);
    }

    /** Runs one INFO poll now, on the caller's thread (for tests and for an immediate refresh). */
    void pollNow() {
        if (poller != null) {
            poller.poll();
        }
    }

    /** Stops recording, removes the listeners from the client and stops INFO polling. Idempotent. */
    @Override
    public void close() {
        recorder.close();
        connectionEvents.close();
        client.removeListener(recorder);
        client.removeListener(connectionEvents);
        if (poller != null) {
            poller.close();
        }
    }

    public static final class Builder {
        private final AbstractRedisClient client;
        private final MeterRegistry registry;
        private final MonitoringSettings settings = new MonitoringSettings();
        private RedisURI serverInfo;

        private Builder(AbstractRedisClient client, MeterRegistry registry) {
            this.client = Objects.requireNonNull(client, "client");
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

        /** The {@code db.namespace} tag; default the {@link #serverInfo} URI's database, else 0. */
        public Builder database(int index) {
            settings.database(index);
            return this;
        }

        /**
         * Polls INFO from this server on a connection of Vigil's own and publishes the server gauges;
         * the {@code server} tag is the URI's {@code host:port} unless {@link #server} says otherwise.
         */
        public Builder serverInfo(RedisURI uri) {
            this.serverInfo = Objects.requireNonNull(uri, "uri");
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

        public LettuceMonitoring build() {
            return new LettuceMonitoring(this);
        }
    }
}
