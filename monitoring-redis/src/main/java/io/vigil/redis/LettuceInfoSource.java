package io.vigil.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * INFO over a connection of its own: a separate, uninstrumented {@link RedisClient} on the application
 * client's {@link ClientResources} (so no extra event-loop threads), without auto-reconnect, with connect
 * and command timeouts equal to the poll timeout. After a failure the connection is dropped and the next
 * poll connects afresh.
 */
final class LettuceInfoSource implements ServerInfoSource {

    private final RedisClient client;
    private final Duration timeout;
    private StatefulRedisConnection<String, String> connection; // poller thread only

    LettuceInfoSource(ClientResources resources, RedisURI uri, Duration timeout) {
        RedisURI own = RedisURI.builder(uri).withTimeout(timeout).build();
        this.client = RedisClient.create(resources, own);
        this.client.setOptions(ClientOptions.builder().autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build()).build());
        this.timeout = timeout;
    }

    @Override
    public String info() throws Exception {
        try {
            if (connection == null || !connection.isOpen()) {
                dropConnection();
                connection = client.connect();
            }
            RedisFuture<String> reply = connection.async().info();
            if (!reply.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                reply.cancel(true);
                throw new TimeoutException("INFO took longer than " + timeout.toMillis() + " ms");
            }
            return reply.get();
        } catch (Exception e) {
            dropConnection();
            throw e;
        }
    }

    private void dropConnection() {
        StatefulRedisConnection<String, String> old = connection;
        connection = null;
        if (old != null) {
            old.closeAsync();
        }
    }

    @Override
    public void close() {
        dropConnection();
        // Shuts down this client only; the shared ClientResources stay with the application's client.
        client.shutdownAsync(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
