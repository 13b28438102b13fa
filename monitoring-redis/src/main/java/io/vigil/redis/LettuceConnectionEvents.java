package io.vigil.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;

import java.net.SocketAddress;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Counts connection events of one Lettuce client: {@code connect} the first time a connection is
 * established, {@code reconnect} each time Lettuce re-establishes it after a drop, {@code disconnect} each
 * time it drops or closes. A client-level listener rather than the EventBus, because the EventBus belongs
 * to the {@code ClientResources}, which several clients may share.
 *
 * <p>Connections are remembered weakly, so closed connections are forgotten; events are rare, so the
 * synchronized set costs nothing that matters.
 */
final class LettuceConnectionEvents implements RedisConnectionStateListener {

    private final RedisClientMetrics metrics;
    private final Set<RedisChannelHandler<?, ?>> seen = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<RedisChannelHandler<?, ?>, Boolean>()));
    private volatile boolean closed;

    LettuceConnectionEvents(RedisClientMetrics metrics) {
        this.metrics = metrics;
    }

    void close() {
        closed = true;
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
        if (closed) {
            return;
        }
        metrics.internalErrors().run(() -> {
            if (seen.add(connection)) {
                metrics.connected();
            } else {
                metrics.reconnected();
            }
        });
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        if (closed) {
            return;
        }
        metrics.internalErrors().run(metrics::disconnected);
    }
}
