package io.vigil.health;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.health.HealthReport;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthSource;
import io.vigil.core.health.HealthStatus;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class HealthRegistryTest {

    private static final Duration FAST = Duration.ofMillis(20);

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private HealthRegistry registry;

    @AfterEach
    void close() {
        if (registry != null) {
            registry.close();
        }
    }

    private static CheckOptions.Builder fast() {
        return CheckOptions.builder().interval(FAST).timeout(Duration.ofSeconds(2));
    }

    @Test
    void nonCriticalDownDegradesTheAggregateAndGroupsSplitTheChecks() {
        registry = HealthRegistry.builder(prometheus)
                .register("db", HealthResult::up, fast().groups("readiness", "startup").build())
                .register("search", () -> HealthResult.builder(HealthStatus.DOWN).detail("reason", "503").build(),
                        fast().groups("readiness").critical(false).build())
                .register("deadlocks", HealthResult::up, fast().groups("liveness").build())
                .build()
                .start();

        await().atMost(Duration.ofSeconds(5)).until(() -> registry.health().status() == HealthStatus.DEGRADED
                && registry.check("db").orElseThrow().status() == HealthStatus.UP);

        HealthReport readiness = registry.group(HealthSource.READINESS).orElseThrow();
        assertThat(readiness.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(readiness.components()).containsOnlyKeys("db", "search");
        assertThat(readiness.components().get("search").status()).isEqualTo(HealthStatus.DOWN);
        assertThat(readiness.components().get("search").details()).containsEntry("reason", "503");
        assertThat(readiness.components().get("search").duration()).isNotNull();
        assertThat(registry.group(HealthSource.LIVENESS).orElseThrow().status()).isEqualTo(HealthStatus.UP);
        assertThat(registry.group(HealthSource.LIVENESS).orElseThrow().components()).containsOnlyKeys("deadlocks");
        assertThat(registry.group(HealthSource.STARTUP).orElseThrow().components()).containsOnlyKeys("db");
        assertThat(registry.group("batch")).isEmpty();
        assertThat(registry.check("nope")).isEmpty();

        PrometheusScrape scrape = PrometheusScrape.parse(prometheus.scrape());
        assertThat(scrape.series("health_status")).hasSize(4);
        assertThat(scrape.value("health_status", "check", "db", "group", "readiness")).isEqualTo(1);
        assertThat(scrape.value("health_status", "check", "db", "group", "startup")).isEqualTo(1);
        assertThat(scrape.value("health_status", "check", "search", "group", "readiness")).isEqualTo(0);
        assertThat(scrape.value("health_status", "check", "deadlocks", "group", "liveness")).isEqualTo(1);
        assertThat(scrape.labelValues("health_check_duration_seconds_count", "check"))
                .containsExactlyInAnyOrder("db", "search", "deadlocks");
        assertThat(scrape.value("health_check_duration_seconds_count", "check", "db")).isPositive();
    }

    @Test
    void criticalDownTakesTheAggregateDown() {
        registry = HealthRegistry.builder(prometheus)
                .register("ok", HealthResult::up, fast().build())
                .register("degraded", () -> HealthResult.builder(HealthStatus.DEGRADED).build(), fast().build())
                .register("broken", () -> {
                    throw new IllegalStateException("connection refused");
                }, fast().build())
                .build().start();

        await().atMost(Duration.ofSeconds(5)).until(() -> registry.health().status() == HealthStatus.DOWN);
        assertThat(registry.check("broken").orElseThrow().details())
                .containsEntry("error", "java.lang.IllegalStateException: connection refused");
        assertThat(registry.health().status().httpStatus()).isEqualTo(503);
    }

    @Test
    void rendersActuatorAndMicroProfileJson() {
        registry = HealthRegistry.builder(prometheus)
                .register("db", () -> HealthResult.builder(HealthStatus.UP).detail("pool", "main").build(),
                        fast().build())
                .build().start();
        HealthRegistry microProfile = HealthRegistry.builder(prometheus)
                .jsonFormat(HealthRegistry.JsonFormat.MICROPROFILE)
                .register("cache", () -> HealthResult.builder(HealthStatus.DOWN).build(), fast().build())
                .build().start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.health().status() == HealthStatus.UP
                    && microProfile.health().status() == HealthStatus.DOWN);

            assertThat(registry.json(registry.health()))
                    .startsWith("{\"status\":\"UP\",\"components\":{\"db\":{\"status\":\"UP\",\"details\":{\"pool\":\"main\",\"durationMs\":");
            assertThat(microProfile.json(microProfile.health()))
                    .startsWith("{\"status\":\"DOWN\",\"checks\":[{\"name\":\"cache\",\"status\":\"DOWN\",\"data\":{\"durationMs\":");
            HealthRegistry terse = HealthRegistry.builder(prometheus).showDetails(false).build();
            assertThat(terse.json(registry.health())).isEqualTo("{\"status\":\"UP\"}");
            terse.close();
        } finally {
            microProfile.close();
        }
    }

    @Test
    void aCheckPastItsTimeoutIsDownWhileProbesStayPromptAndThreadsBounded() {
        AtomicInteger started = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        registry = HealthRegistry.builder(prometheus)
                .threads(2)
                .register("slow", () -> {
                    // Like a socket read without a timeout: ignores the interrupt and holds its thread for 30 s.
                    started.incrementAndGet();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (release.getCount() > 0 && System.nanoTime() < deadline) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                    }
                    return HealthResult.up();
                }, CheckOptions.builder().interval(Duration.ofMillis(10)).timeout(Duration.ofMillis(300)).build())
                .register("fast", HealthResult::up, fast().build())
                .build().start();

        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.check("slow").orElseThrow().status()
                    == HealthStatus.DOWN);
            HealthResult timedOut = registry.check("slow").orElseThrow();
            assertThat(timedOut.details()).containsEntry("error", "timeout").containsEntry("timeoutMs", 300L);
            assertThat(timedOut.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(300));

            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (int i = 0; i < 1_000; i++) {
                    assertThat(registry.health().status()).isEqualTo(HealthStatus.DOWN);
                    assertThat(registry.group(HealthSource.READINESS).orElseThrow().status()).isEqualTo(HealthStatus.DOWN);
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.check("fast").orElseThrow().status()
                    == HealthStatus.UP);
            // 1 scheduler + at most 2 check threads; no listener thread was needed
            assertThat(threadsNamed(HealthRegistry.THREAD_PREFIX)).isBetween(1L, 3L);
            assertThat(started).hasValue(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aCheckThatHonoursTheInterruptRunsAgainAfterItsTimeout() {
        AtomicInteger calls = new AtomicInteger();
        registry = HealthRegistry.builder(prometheus)
                .register("blocking", () -> {
                    if (calls.incrementAndGet() == 1) {
                        Thread.sleep(30_000);
                    }
                    return HealthResult.up();
                }, CheckOptions.builder().interval(Duration.ofMillis(10)).timeout(Duration.ofMillis(100)).build())
                .build().start();

        List<HealthStatus> seen = new CopyOnWriteArrayList<>();
        registry.addListener((check, previous, result) -> seen.add(result.status()));
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains(HealthStatus.UP));
        assertThat(seen).containsExactly(HealthStatus.DOWN, HealthStatus.UP);
    }

    @Test
    void listenersSeeEachTransitionOnceAndInOrder() {
        List<HealthStatus> script = List.of(HealthStatus.UP, HealthStatus.UP, HealthStatus.DOWN, HealthStatus.UP,
                HealthStatus.DOWN, HealthStatus.DOWN, HealthStatus.DEGRADED, HealthStatus.UP, HealthStatus.DOWN,
                HealthStatus.UP);
        AtomicInteger run = new AtomicInteger();
        List<String> transitions = new CopyOnWriteArrayList<>();
        List<String> secondListener = new CopyOnWriteArrayList<>();
        registry = HealthRegistry.builder(prometheus)
                .listener((check, previous, result) -> {
                    throw new IllegalStateException("a broken listener must not stop the others");
                })
                .listener((check, previous, result) -> transitions.add(previous + "->" + result.status()))
                .listener((check, previous, result) -> secondListener.add(previous + "->" + result.status()))
                .register("flapping", () -> HealthResult.builder(
                        script.get(Math.min(run.getAndIncrement(), script.size() - 1))).build(),
                        CheckOptions.builder().interval(Duration.ofMillis(10)).build())
                .build().start();

        List<String> expected = List.of("UNKNOWN->UP", "UP->DOWN", "DOWN->UP", "UP->DOWN", "DOWN->DEGRADED",
                "DEGRADED->UP", "UP->DOWN", "DOWN->UP");
        await().atMost(Duration.ofSeconds(5)).until(() -> run.get() > script.size() + 5
                && transitions.size() >= expected.size());
        await().atMost(Duration.ofSeconds(5)).until(() -> secondListener.size() >= expected.size());
        assertThat(transitions).containsExactlyElementsOf(expected);
        assertThat(secondListener).containsExactlyElementsOf(expected);
        assertThat(PrometheusScrape.parse(prometheus.scrape())
                .value("vigil_internal_errors_total", "component", "health")).isEqualTo(expected.size());
    }

    @Test
    void aBlockedListenerNeverDelaysTheChecks() {
        CountDownLatch unblock = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        List<String> delivered = new CopyOnWriteArrayList<>();
        registry = HealthRegistry.builder(prometheus)
                .listener((check, previous, result) -> {
                    delivered.add(previous + "->" + result.status());
                    try {
                        unblock.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })
                .register("toggling", () -> HealthResult.builder(runs.incrementAndGet() % 2 == 0
                        ? HealthStatus.DOWN : HealthStatus.UP).build(),
                        CheckOptions.builder().interval(Duration.ofMillis(10)).build())
                .build().start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 20);
            assertThat(delivered).hasSize(1); // the listener is stuck on the first transition; checks go on
        } finally {
            unblock.countDown();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() >= 20);
        for (int i = 1; i < delivered.size(); i++) {
            String[] previous = delivered.get(i - 1).split("->");
            assertThat(delivered.get(i)).startsWith(previous[1] + "->");
        }
    }

    @Test
    void registersAndUnregistersWhileRunning() {
        registry = HealthRegistry.builder(prometheus).build().start();
        assertThat(registry.health().status()).isEqualTo(HealthStatus.UP);
        registry.register("late", HealthResult::up, fast().groups("batch").build());
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.group("batch").orElseThrow().status()
                == HealthStatus.UP);
        assertThat(PrometheusScrape.parse(prometheus.scrape()).has("health_status", "check", "late")).isTrue();

        assertThat(registry.unregister("late")).isTrue();
        assertThat(registry.unregister("late")).isFalse();
        assertThat(registry.group("batch")).isEmpty();
        assertThat(PrometheusScrape.parse(prometheus.scrape()).has("health_status", "check", "late")).isFalse();
    }

    @Test
    void closeStopsEveryThread() {
        registry = HealthRegistry.builder(prometheus)
                .register("sleepy", () -> {
                    Thread.sleep(30_000);
                    return HealthResult.up();
                }, CheckOptions.builder().interval(Duration.ofMillis(10)).timeout(Duration.ofSeconds(60)).build())
                .build().start();
        await().atMost(Duration.ofSeconds(5)).until(() -> threadsNamed(HealthRegistry.THREAD_PREFIX + "-check") == 1);
        assertThat(PrometheusScrape.parse(prometheus.scrape()).has("health_status", "check", "sleepy")).isTrue();
        registry.close();
        assertThat(PrometheusScrape.parse(prometheus.scrape()).has("health_status")).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> threadsNamed(HealthRegistry.THREAD_PREFIX) == 0);
        assertThatThrownBy(() -> registry.register("x", HealthResult::up)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsBadConfiguration() {
        assertThatThrownBy(() -> CheckOptions.builder().groups().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one group");
        assertThatThrownBy(() -> CheckOptions.builder().groups("Readiness Probe"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid group name");
        assertThatThrownBy(() -> CheckOptions.builder().timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CheckOptions.builder().interval(Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthRegistry.builder(prometheus).threads(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthRegistry.builder(prometheus).register("a", HealthResult::up)
                .register("a", HealthResult::up)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthRegistry.builder(prometheus).register(" ", HealthResult::up))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CheckOptions.defaults().groups()).containsExactly("readiness");
        assertThat(CheckOptions.defaults().critical()).isTrue();
    }

    static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith(prefix)).count();
    }
}
