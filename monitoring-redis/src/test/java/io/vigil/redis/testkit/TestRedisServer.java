package io.vigil.redis.testkit;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server for the tests: the binary embedded-redis ships in its jar, on a free loopback port,
 * bound to 127.0.0.1, without persistence. Falls back to a {@code redis-server} found on the PATH when the
 * bundled binary cannot start on this machine. Can be stopped and started again on the same port.
 */
public final class TestRedisServer implements AutoCloseable {

    private final int port;
    private RedisServer embedded;
    private Process process;

    private TestRedisServer(int port) {
        this.port = port;
    }

    public static TestRedisServer start() {
        TestRedisServer server = new TestRedisServer(freePort());
        server.startAgain();
        return server;
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    public void startAgain() {
        try {
            embedded = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").build();
            embedded.start();
        } catch (IOException | RuntimeException embeddedFailed) {
            embedded = null;
            startFromPath(embeddedFailed);
        }
    }

    public void stop() {
        try {
            if (embedded != null) {
                embedded.stop();
                embedded = null;
            }
            if (process != null) {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
                process = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void startFromPath(Exception cause) {
        try {
            Path dir = Files.createTempDirectory("vigil-redis");
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try {
                    new java.net.Socket(host(), port).close();
                    return;
                } catch (IOException notYet) {
                    Thread.sleep(20);
                }
            }
            throw new IllegalStateException("redis-server on PATH did not start", cause);
        } catch (IOException e) {
            IllegalStateException failure = new IllegalStateException("No redis-server could be started", e);
            failure.addSuppressed(cause);
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
