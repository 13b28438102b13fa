package io.vigil.health.checks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.core.health.HealthCheck;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTP and TCP checks against a real local HTTP server (the JDK's) and real sockets. */
class DependencyChecksTest {

    private static HttpServer server;
    private static ExecutorService serverThreads;
    private static final CountDownLatch RELEASE_SLOW = new CountDownLatch(1);

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.createContext("/ok", exchange -> respond(exchange, 200, "fine"));
        server.createContext("/fail", exchange -> respond(exchange, 500, "broken"));
        server.createContext("/slow", exchange -> {
            try {
                RELEASE_SLOW.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "late");
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        RELEASE_SLOW.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void httpIsUpOnAnExpectedStatus() throws Exception {
        HealthResult result = HealthChecks.http(url("/ok")).build().check();
        assertThat(result.status()).isEqualTo(HealthStatus.UP);
        assertThat(result.details()).containsEntry("status", 200).containsEntry("url", url("/ok").toString())
                .containsKey("latencyMs");
    }

    @Test
    void httpIsDownOnA500UnlessExpected() throws Exception {
        HealthResult result = HealthChecks.http(url("/fail")).build().check();
        assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.details()).containsEntry("status", 500).containsEntry("expected", "2xx");

        assertThat(HealthChecks.http(url("/fail")).expectStatus(500, 503).build().check().status())
                .isEqualTo(HealthStatus.UP);
        assertThat(HealthChecks.http(url("/ok")).expectStatus(204).build().check().status())
                .isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void httpIsDownWhenTheServerAnswersTooSlowly() throws Exception {
        HealthResult result = HealthChecks.http(url("/slow")).requestTimeout(Duration.ofMillis(300)).build().check();
        assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
        // HttpTimeoutException, or its subclass HttpConnectTimeoutException when a loaded machine is slow to connect
        assertThat(result.details().get("error").toString()).contains("TimeoutException");
    }

    @Test
    void httpIsDownWhenNothingListens() throws Exception {
        int closedPort = closedPort();
        HealthResult result = HealthChecks.http(URI.create("http://127.0.0.1:" + closedPort + "/ok"))
                .connectTimeout(Duration.ofMillis(500)).build().check();
        assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.details().get("error").toString()).contains("ConnectException");
    }

    @Test
    void httpDetailsNeverShowCredentialsOrQuery() throws Exception {
        URI secret = URI.create("http://user:hunter2@127.0.0.1:" + server.getAddress().getPort()
                + "/ok?token=s3cr3t");
        HealthResult result = HealthChecks.http(secret).build().check();
        assertThat(result.status()).isEqualTo(HealthStatus.UP);
        assertThat(result.toString()).doesNotContain("hunter2").doesNotContain("s3cr3t");
    }

    @Test
    void tcpIsUpWhenAccepting() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HealthResult result = HealthChecks.tcp("127.0.0.1", listening.getLocalPort()).build().check();
            assertThat(result.status()).isEqualTo(HealthStatus.UP);
            assertThat(result.details()).containsEntry("port", listening.getLocalPort()).containsKey("latencyMs");
        }
    }

    @Test
    void tcpIsDownOnAClosedPort() throws Exception {
        HealthCheck check = HealthChecks.tcp("127.0.0.1", closedPort()).timeout(Duration.ofMillis(500)).build();
        HealthResult result = check.check();
        assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.details().get("error").toString()).contains("ConnectException");
    }

    @Test
    void rejectsBadConfiguration() {
        assertThatThrownBy(() -> HealthChecks.http(URI.create("ftp://example.org/")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthChecks.http(url("/ok")).expectStatus(42))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthChecks.http(url("/ok")).requestTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthChecks.tcp("127.0.0.1", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthChecks.tcp(" ", 80)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthChecks.dns("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthChecks.heartbeat(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A port that was free a moment ago and that nobody listens on now. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
