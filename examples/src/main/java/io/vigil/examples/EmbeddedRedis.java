package io.vigil.examples;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;

/**
 * The redis-server binary that {@code com.github.codemonstur:embedded-redis} bundles (Linux x86-64, arm64 and
 * x86, macOS, Windows), started as a child process on a free loopback port, without persistence. So the demo
 * needs no Redis installed; where no bundled binary runs, the demo goes on without a cache.
 */
final class EmbeddedRedis implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    /** Another process may take the free port between our probe and redis-server's bind. */
    private static final int ATTEMPTS = 3;

    private final RedisServer server;
    private final int port;

    private EmbeddedRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts the bundled binary ({@code binary} null: the one for this OS and architecture), or returns empty
     * when it cannot run here, having logged one line that says so.
     */
    static Optional<EmbeddedRedis> tryStart(ExecutableProvider binary) {
        Exception failure = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            RedisServer server = null;
            int port = freePort();
            try {
                server = RedisServer.newRedisServer()
                        .executableProvider(binary != null ? binary : ExecutableProvider.newJarResourceProvider())
                        .bind(HOST).port(port)
                        .setting("save \"\"").setting("appendonly no").setting("protected-mode yes")
                        // Both pipes are drained, so a chatty server can never block on a full pipe.
                        .soutListener(line -> LOG.debug("redis-server: {}", line))
                        .serrListener(line -> LOG.debug("redis-server: {}", line))
                        .build();
                server.start();
                LOG.info("Started the bundled redis-server on {}:{} (set REDIS_URI to use another Redis)", HOST, port);
                return Optional.of(new EmbeddedRedis(server, port));
            } catch (IOException | RuntimeException e) {
                stopQuietly(server);
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
            }
        }
        LOG.warn("No cache: the bundled redis-server cannot run on {} {} ({}); set REDIS_URI to use a Redis server",
                System.getProperty("os.name"), System.getProperty("os.arch"), oneLine(failure));
        return Optional.empty();
    }

    int port() {
        return port;
    }

    /** Stops the process, keeping its port for {@link #resume()} (the traffic tour's Redis outage). */
    synchronized void pause() throws IOException {
        server.stop();
    }

    /** Starts the process again on the same port. */
    synchronized void resume() throws IOException {
        if (!server.isActive()) {
            server.start();
        }
    }

    String uri() {
        return "redis://" + HOST + ":" + port;
    }

    /** Stops the process and waits for it to exit (embedded-redis also stops it in a JVM shutdown hook). */
    @Override
    public synchronized void close() throws IOException {
        server.stop();
    }

    private static void stopQuietly(RedisServer server) {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (IOException | RuntimeException e) {
            LOG.debug("redis-server did not stop cleanly: {}", e.toString());
        }
    }

    private static String oneLine(Exception failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getMessage() != null
                && cause.getMessage().startsWith("Failed to start")) {
            cause = cause.getCause();
        }
        String message = String.valueOf(cause.getMessage());
        int newline = message.indexOf('\n');
        return cause.getClass().getSimpleName() + ": " + (newline >= 0 ? message.substring(0, newline) : message);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
