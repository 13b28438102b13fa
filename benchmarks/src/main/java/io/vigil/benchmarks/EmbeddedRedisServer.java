package io.vigil.benchmarks;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * One real redis-server (the 6.2 binary embedded-redis ships in its jar) on a free loopback port, bound to
 * 127.0.0.1, without persistence, so no variant's round trip includes a disk write.
 */
public final class EmbeddedRedisServer implements AutoCloseable {

    public static final String HOST = "127.0.0.1";

    private final RedisServer server;
    private final int port;

    private EmbeddedRedisServer(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static EmbeddedRedisServer start() {
        int port = freePort();
        try {
            RedisServer server = RedisServer.newRedisServer().port(port).bind(HOST)
                    .setting("save \"\"").setting("appendonly no").build();
            server.start();
            return new EmbeddedRedisServer(server, port);
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server did not start on port " + port, e);
        }
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
