package io.vigil.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo as an operator runs it: its own JVM, configured by environment, stopped by a signal. Configuration
 * errors end it with one line on stderr and a non-zero status; SIGTERM under load ends it gracefully with 0.
 */
class DemoProcessTest {

    @TempDir
    Path directory;

    @Test
    void sigtermUnderLoadTurnsReadinessDownFirstDrainsAndExitsZero() throws Exception {
        try (DemoProcess demo = DemoProcess.start(directory, Map.of("PORT", "0", "SHUTDOWN_GRACE", "1s",
                "DRAIN_TIMEOUT", "5s"))) {
            int port = demo.awaitStarted(Duration.ofSeconds(60));
            Set<ProcessHandle> redis = RedisProcesses.childrenOf(demo.process().toHandle());
            assertThat(redis).as("the bundled redis-server").hasSize(1);

            ShutdownUnderLoad load = ShutdownUnderLoad.start(port, 4);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> load.served() >= 40);
                ShutdownUnderLoad.SlowUpload inFlight = load.slowUpload();
                demo.process().destroy();   // SIGTERM

                assertThat(load.awaitPortClosed(Duration.ofSeconds(30))).as("the port closes").isTrue();
                RawHttp.Response drained = inFlight.finish();
                int exit = demo.awaitExit(Duration.ofSeconds(30));
                load.awaitClients(Duration.ofSeconds(15));

                assertThat(exit).as(demo.stderr()).isZero();
                assertThat(drained.status()).as(drained.head()).isEqualTo(201);
                assertThat(load.readinessDownAt()).as("readiness turned 503").isPositive();
                assertThat(load.readinessDownAt()).as("before the port closed").isLessThan(load.portClosedAt());
                assertThat(load.failures()).as("requests accepted but not completed").isEmpty();
                assertThat(load.served()).isGreaterThanOrEqualTo(40);
            } finally {
                load.close();
            }
            assertThat(redis).allSatisfy(process -> assertThat(process.isAlive()).as("redis-server").isFalse());
            assertThat(RedisProcesses.under(demo.tmpDirectory())).isEmpty();
            assertThat(demo.stderr()).contains("SIGTERM received: shutting down", "Stopped in ")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void everyConfigurationErrorIsOneLineAndANonZeroExitWithNothingLeftRunning() throws Exception {
        int closed = closedPort();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int busy = taken.getLocalPort();
            List<Case> cases = List.of(
                    new Case(Map.of("PORT", Integer.toString(busy)), 1,
                            "vigil-demo: cannot listen on 127.0.0.1:" + busy + ": Address already in use"),
                    new Case(Map.of("PORT", "http"), 2,
                            "vigil-demo: PORT must be a number between 0 and 65535 but was 'http'"),
                    new Case(Map.of("PORT", "0", "DATABASE_URL", "jdbc:mysql://db:3306/orders?password=hunter2"), 2,
                            "vigil-demo: no JDBC driver for the database URL 'jdbc:mysql:…' "
                                    + "(the demo ships PostgreSQL and H2)"),
                    new Case(Map.of("PORT", "0", "DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + closed
                            + "/orders", "DATABASE_PASSWORD", "hunter2"), 1,
                            "vigil-demo: cannot connect to the database at jdbc:postgresql://127.0.0.1:" + closed
                                    + "/orders: Connection refused"),
                    new Case(Map.of("PORT", "0", "WEBHOOK_URL", "ftp://hooks.example/T0KEN-hunter2"), 2,
                            "vigil-demo: WEBHOOK_URL must be an http(s) URL such as https://hooks.example/alerts but"
                                    + " its scheme is 'ftp'"),
                    new Case(Map.of("PORT", "0", "REDIS_URI", "redis://:hunter2@127.0.0.1:" + closed), 1,
                            "vigil-demo: cannot connect to Redis at 127.0.0.1:" + closed + ": Connection refused"));
            List<CompletableFuture<String>> runs = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                Case run = cases.get(i);
                Path home = directory.resolve("case-" + i);
                runs.add(CompletableFuture.supplyAsync(() -> run.check(home)));
            }
            for (CompletableFuture<String> run : runs) {
                assertThat(run.get()).isEmpty();
            }
        }
    }

    /** One configuration that must fail: returns what went wrong, or an empty string. */
    private record Case(Map<String, String> settings, int exit, String line) {

        String check(Path home) {
            try (DemoProcess demo = DemoProcess.start(home, settings)) {
                int status = demo.awaitExit(Duration.ofSeconds(60));
                List<String> problems = new ArrayList<>();
                if (status != exit) {
                    problems.add("exit " + status + " instead of " + exit);
                }
                if (!demo.stderrLines().equals(List.of(line))) {
                    problems.add("stderr was " + demo.stderrLines());
                }
                if (!demo.stdout().isEmpty()) {
                    problems.add("stdout was " + demo.stdout());
                }
                if (!RedisProcesses.under(demo.tmpDirectory()).isEmpty()) {
                    problems.add("a redis-server is still running");
                }
                return problems.isEmpty() ? "" : settings + ": " + problems;
            } catch (InterruptedException | RuntimeException e) {
                return settings + ": " + e;
            }
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
