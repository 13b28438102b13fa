package io.vigil.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisConnectionException;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A demo that cannot start leaves nothing running behind it; one that cannot have a cache runs without. */
class DemoStartupTest {

    @Test
    void unreachableRedisFailsTheStartInOneLineAndReleasesEverythingOpenedSoFar() throws IOException {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        DemoConfig config = DemoConfig.builder().port(0).redisUri("redis://127.0.0.1:" + closedPort).build();

        assertThatThrownBy(() -> DemoService.start(config)).isInstanceOf(DemoStartException.class)
                .hasCauseInstanceOf(RedisConnectionException.class)
                .hasMessage("cannot connect to Redis at 127.0.0.1:" + closedPort + ": Connection refused");

        // HikariCP's pool threads, Lettuce's event loops: all gone once start() has thrown and cleaned up.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(startedSince(before)).isEmpty());
    }

    @Test
    void aRedisBinaryThatCannotRunLeavesTheDemoWithoutACacheSaidInOneLogLine(@TempDir Path directory)
            throws Exception {
        Path notAProgram = Files.writeString(directory.resolve("redis-server"), "this is not a program\n");
        assertThat(notAProgram.toFile().setExecutable(true)).isTrue();
        DemoConfig config = DemoConfig.builder().port(0).shutdownGrace(Duration.ZERO)
                .redisBinary(notAProgram::toFile).build();

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        DemoService demo;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            demo = DemoService.start(config);
        } finally {
            System.setErr(stderr);
        }
        try (demo) {
            List<String> aboutRedis = log.toString(StandardCharsets.UTF_8).lines()
                    .filter(line -> line.toLowerCase(Locale.ROOT).contains("redis")).toList();
            assertThat(aboutRedis).hasSize(1);
            assertThat(aboutRedis.get(0)).contains("WARN", "No cache: the bundled redis-server cannot run on "
                    + System.getProperty("os.name"), "set REDIS_URI to use a Redis server");

            RawHttp.Response placed = RawHttp.post(demo.port(), "/orders", "item=cup&quantity=1");
            assertThat(placed.status()).isEqualTo(201);
            String location = placed.head().lines().filter(line -> line.startsWith("Location: ")).findFirst()
                    .orElseThrow().substring("Location: ".length());
            assertThat(RawHttp.get(demo.port(), location).status()).isEqualTo(200);
            assertThat(RawHttp.get(demo.port(), location).status()).isEqualTo(200);

            assertThat(new ObjectMapper().readTree(RawHttp.get(demo.port(), "/health").body()).path("components")
                    .fieldNames()).toIterable().containsExactlyInAnyOrder("db", "deadlocks", "disk");
            PrometheusScrape scrape = PrometheusScrape.parse(RawHttp.get(demo.port(), "/metrics").body());
            assertThat(scrape.labelValues("db_client_operation_duration_seconds_count", "db_system"))
                    .containsExactly("h2");
            assertThat(scrape.value("db_client_operation_duration_seconds_count", "db_operation", "SELECT",
                    "outcome", "success")).as("every read from the database").isEqualTo(2);
        }
    }

    @Test
    void aRequestThatOutlivesTheDrainIsCutAndStopReturns(@TempDir Path directory) throws Exception {
        Path notAProgram = Files.writeString(directory.resolve("redis-server"), "no cache needed here\n");
        Duration drain = Duration.ofMillis(500);
        DemoService demo = DemoService.start(DemoConfig.builder().port(0).shutdownGrace(Duration.ZERO)
                .drainTimeout(drain).redisBinary(notAProgram::toFile).build());
        ShutdownUnderLoad observer = ShutdownUnderLoad.start(demo.port(), 0);
        try {
            ShutdownUnderLoad.SlowUpload endless = observer.slowUpload();
            await().atMost(Duration.ofSeconds(10)).until(() -> endless.sentBytes() >= 3);   // dispatched, reading

            long began = System.nanoTime();
            demo.stop();
            Duration took = Duration.ofNanos(System.nanoTime() - began);

            assertThat(took).as("stop waited for the drain").isGreaterThanOrEqualTo(drain);
            assertThat(took).as("and no longer than it, give or take a slow machine")
                    .isLessThan(drain.plusSeconds(20));
            String outcome;
            try {
                outcome = "answered " + endless.finish().status();
            } catch (IOException cut) {
                outcome = "cut";
            }
            assertThat(outcome).as("a request still in flight after the drain").isNotEqualTo("answered 201");
        } finally {
            observer.close();
            demo.stop();
        }
    }

    private static Set<String> startedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .filter(name -> name.startsWith("orders") || name.startsWith("lettuce") || name.startsWith("vigil"))
                .collect(Collectors.toSet());
    }
}
