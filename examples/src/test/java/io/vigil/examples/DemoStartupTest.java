package io.vigil.examples;

import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A demo that cannot start leaves nothing running behind it. */
class DemoStartupTest {

    @Test
    void unreachableRedisFailsTheStartAndReleasesEverythingOpenedSoFar() throws IOException {
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

    private static Set<String> startedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .filter(name -> name.startsWith("orders") || name.startsWith("lettuce") || name.startsWith("vigil"))
                .collect(Collectors.toSet());
    }
}
