package io.vigil.benchmarks;

import io.lettuce.core.CommandListenerWriter;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.redis.LettuceMonitoring;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One synchronous-style Lettuce GET without I/O: a real {@link StatefulRedisConnectionImpl} over a
 * {@link StubChannelWriter}, called the way Lettuce's sync API calls it ({@code async().get(key)}, whose
 * {@code RedisCommandBuilder} builds a {@code GET} with a {@link StringCodec} key and a {@code ValueOutput},
 * then {@link LettuceFutures#awaitOrCancel} with the connection's timeout), minus the sync API's reflective
 * proxy, which costs both variants the same.
 *
 * <p>Bare: the connection writes straight to the stub. Vigil: a never-connected {@link RedisClient} is
 * instrumented with {@link LettuceMonitoring#instrument} on {@link Registries#vigil()}, and the connection's
 * writer is built as {@code RedisClient} builds it when it opens a connection: Lettuce's
 * {@link CommandListenerWriter} over the client's command listeners, around the same stub. So the difference
 * is everything Vigil's listener costs a command, including the events and wrapper Lettuce creates only
 * because a listener is registered.
 */
final class LettuceStub implements AutoCloseable {

    static final String KEY = RedisStubBenchmark.KEY;

    private final ClientResources resources;
    private final ListenerHolder client;
    private final LettuceMonitoring monitoring;
    private final PrometheusMeterRegistry registry;
    private final StubChannelWriter stub;
    private final StatefulRedisConnectionImpl<String, String> connection;
    private final RedisAsyncCommands<String, String> async;
    private final long timeoutNanos;

    /**
     * @param instrument whether Vigil instruments the client
     * @param wire whether the connection is given the client's command listeners (as a real connect does)
     * @param other a listener of the benchmark's own to register on the client, or null
     */
    private LettuceStub(boolean instrument, boolean wire, CommandListener other) {
        resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
        client = new ListenerHolder(resources);
        if (other != null) {
            client.addListener(other);
        }
        registry = instrument ? Registries.vigil() : null;
        monitoring = instrument ? LettuceMonitoring.instrument(client, registry) : null;
        stub = new StubChannelWriter(resources);
        List<CommandListener> listeners = client.listeners();
        RedisChannelWriter writer = wire && CommandListenerWriter.isSupported(listeners)
                ? new CommandListenerWriter(stub, listeners) : stub;
        // No push handler: only RESP3 push messages, which never arrive here, would need one.
        connection = new StatefulRedisConnectionImpl<>(writer, null, StringCodec.UTF8,
                RedisURI.DEFAULT_TIMEOUT_DURATION);
        async = connection.async();
        timeoutNanos = connection.getTimeout().toNanos();
    }

    /** No listener: Lettuce's command path alone. */
    static LettuceStub bare() {
        return new LettuceStub(false, false, null);
    }

    /** Vigil's listener, obtained from an instrumented client, on Lettuce's listener machinery. */
    static LettuceStub vigil() {
        return new LettuceStub(true, true, null);
    }

    /**
     * Lettuce's listener machinery around a listener that does nothing: the part of Vigil's cost that is
     * Lettuce's (events, context map, command wrapper), paid by any {@code CommandListener}.
     */
    static LettuceStub noopListener() {
        return withListener(new CommandListener() {
        });
    }

    /** Lettuce's listener machinery around {@code listener} alone, uninstrumented: for taking a cost apart. */
    static LettuceStub withListener(CommandListener listener) {
        return new LettuceStub(false, true, listener);
    }

    /** Instrumented, but the connection bypasses the listeners: for proving that {@link #verifyRecorded} bites. */
    static LettuceStub unwired() {
        return new LettuceStub(true, false, null);
    }

    /** One GET of {@link #KEY}; returns the length of the value, so that a caller can sink it. */
    long get() {
        return LettuceFutures.awaitOrCancel(async.get(KEY), timeoutNanos, TimeUnit.NANOSECONDS).length();
    }

    /** The commands the stub answered. */
    long sent() {
        return stub.commands();
    }

    /**
     * Fails unless Vigil's {@code db.client.operation.duration} counted every one of the {@code sent} GETs
     * (and {@code cache.gets} a hit for each): else the comparison with bare would not be fair.
     */
    void verifyRecorded(long sent) {
        if (registry == null) {
            throw new IllegalStateException("the bare variant records nothing");
        }
        long recorded = registry.find("db.client.operation.duration").tag("db.operation", "GET").timers().stream()
                .mapToLong(Timer::count).sum();
        long hits = (long) registry.find("cache.gets").tag("result", "hit").counters().stream()
                .mapToDouble(Counter::count).sum();
        if (recorded != sent || hits != sent) {
            throw new IllegalStateException("vigil recorded " + recorded + " GETs and " + hits + " cache hits of the "
                    + sent + " GETs it was sent: the comparison would not be fair");
        }
    }

    @Override
    public void close() {
        connection.close();
        if (monitoring != null) {
            monitoring.close();
        }
        client.shutdown();
        resources.shutdown(0, 0, TimeUnit.SECONDS);
    }

    /**
     * Lettuce has no public getter for a client's command listeners ({@code getCommandListeners()} is
     * protected): a subclass reads them without reflection. Never connected.
     */
    private static final class ListenerHolder extends RedisClient {

        ListenerHolder(ClientResources resources) {
            super(resources, RedisURI.create("redis://127.0.0.1:1"));
        }

        List<CommandListener> listeners() {
            return getCommandListeners();
        }
    }
}
