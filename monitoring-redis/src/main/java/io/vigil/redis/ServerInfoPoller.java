package io.vigil.redis;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.internal.InternalErrors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls {@code INFO} on one daemon thread and exposes the server gauges from the last successful poll:
 * {@code redis.memory.used}, {@code redis.clients.connected}, {@code cache.evictions} and
 * {@code redis.keyspace.lookups}. A scrape only reads a volatile field, so it never waits on Redis.
 *
 * <p>A failed poll is counted in {@code vigil.internal.errors} and the meters keep the last polled value:
 * a Redis that cannot be reached shows up in the health check and the command error rate, and keeping
 * counters steady avoids fake resets. Before the first successful poll every value is {@code NaN}
 * ("not known yet"), never a made-up 0 that would turn the first real reading into a spike.
 */
final class ServerInfoPoller implements AutoCloseable {

    private final ServerInfoSource source;
    private final InternalErrors errors;
    private final ScheduledExecutorService scheduler;
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private volatile ServerInfo last = ServerInfo.UNKNOWN;

    ServerInfoPoller(MeterRegistry registry, String server, String cacheName, ServerInfoSource source,
            Duration interval, InternalErrors errors) {
        this.registry = registry;
        this.source = source;
        this.errors = errors;
        Tags serverTag = Tags.of("server", server);
        meters.add(MetricCatalog.REDIS_MEMORY_USED.gauge(registry, serverTag, this, p -> p.last.usedMemory));
        meters.add(MetricCatalog.REDIS_CLIENTS_CONNECTED.gauge(registry, serverTag, this,
                p -> p.last.connectedClients));
        meters.add(MetricCatalog.CACHE_EVICTIONS.functionCounter(registry, Tags.of("cache", cacheName), this,
                p -> p.last.evictedKeys));
        meters.add(MetricCatalog.REDIS_KEYSPACE_LOOKUPS.functionCounter(registry, serverTag.and("result", "hit"),
                this, p -> p.last.keyspaceHits));
        meters.add(MetricCatalog.REDIS_KEYSPACE_LOOKUPS.functionCounter(registry, serverTag.and("result", "miss"),
                this, p -> p.last.keyspaceMisses));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vigil-redis-info");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One poll; also run by tests and {@code pollNow()}, hence synchronized with the scheduled one. */
    synchronized void poll() {
        try {
            last = ServerInfo.parse(source.info());
        } catch (Throwable error) {
            errors.record(error);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
        meters.forEach(registry::remove);
    }
}
