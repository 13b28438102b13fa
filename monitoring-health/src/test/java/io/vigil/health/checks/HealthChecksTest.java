package io.vigil.health.checks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.health.HealthCheck;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;
import io.vigil.health.CheckOptions;
import io.vigil.health.HealthRegistry;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The machine-local checks, against this machine. */
class HealthChecksTest {

    @Test
    void deadlockedThreadsAreDown() throws Exception {
        HealthCheck deadlocks = HealthChecks.deadlocks();
        assertThat(deadlocks.check().status()).isEqualTo(HealthStatus.UP);

        ReentrantLock first = new ReentrantLock();
        ReentrantLock second = new ReentrantLock();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Thread a = new Thread(() -> crossLock(first, second, bothHoldOne), "deadlock-test-a");
        Thread b = new Thread(() -> crossLock(second, first, bothHoldOne), "deadlock-test-b");
        a.setDaemon(true);
        b.setDaemon(true);
        a.start();
        b.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> deadlocks.check().status() == HealthStatus.DOWN);
            HealthResult result = deadlocks.check();
            assertThat(result.details()).containsEntry("deadlockedThreads", 2);
            assertThat(result.details().get("threads").toString())
                    .contains("deadlock-test-a").contains("deadlock-test-b");
        } finally {
            a.interrupt();
            b.interrupt();
            a.join(5_000);
            b.join(5_000);
        }
        assertThat(deadlocks.check().status()).isEqualTo(HealthStatus.UP);
    }

    private static void crossLock(ReentrantLock mine, ReentrantLock theirs, CountDownLatch bothHoldOne) {
        mine.lock();
        try {
            bothHoldOne.countDown();
            bothHoldOne.await();
            theirs.lockInterruptibly();
            theirs.unlock();
        } catch (InterruptedException expected) {
            // the test breaks the deadlock
        } finally {
            mine.unlock();
        }
    }

    @Test
    void aStaleHeartbeatIsDown() {
        HealthChecks.Heartbeat heartbeat = HealthChecks.heartbeat(Duration.ofMillis(200));
        heartbeat.beat();
        HealthResult fresh = heartbeat.check();
        assertThat(fresh.status()).isEqualTo(HealthStatus.UP);
        assertThat(fresh.details()).containsEntry("maxAgeMs", 200L).containsEntry("beaten", true);

        await().atMost(Duration.ofSeconds(5)).until(() -> heartbeat.check().status() == HealthStatus.DOWN);
        assertThat((Long) heartbeat.check().details().get("ageMs")).isGreaterThan(200L);
        heartbeat.beat();
        assertThat(heartbeat.check().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void cpuReportsUtilizationAndLoadAndHonoursLimits() throws Exception {
        HealthResult result = HealthChecks.cpu().build().check();
        assertThat(result.status()).isIn(HealthStatus.UP, HealthStatus.DEGRADED);
        assertThat(result.details()).containsKeys("systemCpu", "processCpu", "loadPerCore", "cores");
        assertThat((Double) result.details().get("loadPerCore")).isGreaterThanOrEqualTo(0);

        HealthResult overloaded = HealthChecks.cpu().loadAveragePerCore(0, 0).build().check();
        assertThat(overloaded.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(overloaded.details().get("crossed").toString()).contains("loadPerCore");
        assertThat(overloaded.details()).containsEntry("loadPerCoreLimits", "DEGRADED 0.0, DOWN 0.0");

        assertThatThrownBy(() -> HealthChecks.cpu().systemUtilization(1.5, 2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> HealthChecks.cpu().processUtilization(0.9, 0.5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be above");
    }

    @Test
    void memoryReportsHeapAfterGcAndSystemAvailable() throws Exception {
        System.gc(); // so the old generation has a collection usage to read
        HealthResult result = HealthChecks.memory().build().check();
        assertThat(result.status()).isIn(HealthStatus.UP, HealthStatus.DEGRADED);
        assertThat((Double) result.details().get("heapAfterGc")).isBetween(0.0, 1.0);
        assertThat((Double) result.details().get("systemAvailable")).isBetween(0.0, 1.0);
        assertThat((Long) result.details().get("systemAvailableBytes"))
                .isLessThanOrEqualTo((Long) result.details().get("systemTotalBytes")).isPositive();

        HealthResult starved = HealthChecks.memory().systemAvailable(1.0, 1.0).build().check();
        assertThat(starved.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(starved.details()).containsEntry("crossed", List.of("systemAvailable"));
        HealthResult degraded = HealthChecks.memory().heapAfterGc(0, 1).build().check();
        assertThat(degraded.status()).isEqualTo(HealthStatus.DEGRADED);
    }

    @Test
    void diskReportsFreeSpacePerPathAgainstRatioAndBytes(@TempDir Path dir) throws Exception {
        HealthResult result = HealthChecks.disk(dir).build().check();
        assertThat(result.status()).isEqualTo(HealthStatus.UP);
        Map<?, ?> detail = (Map<?, ?>) result.details().get(dir.toString());
        assertThat((Long) detail.get("freeBytes")).isPositive().isLessThanOrEqualTo((Long) detail.get("totalBytes"));
        assertThat(detail.get("status")).isEqualTo("UP");

        assertThat(HealthChecks.disk(dir).freeBytes(Long.MAX_VALUE, Long.MAX_VALUE).build().check().status())
                .isEqualTo(HealthStatus.DOWN);
        assertThat(HealthChecks.disk(dir).freeRatio(1.0, 0).build().check().status())
                .isEqualTo(HealthStatus.DEGRADED);

        Path missing = dir.resolve("not-mounted");
        HealthResult broken = HealthChecks.disk(dir).path(missing).build().check();
        assertThat(broken.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(((Map<?, ?>) broken.details().get(missing.toString())).get("error").toString())
                .contains("NoSuchFileException");
        assertThat(((Map<?, ?>) broken.details().get(dir.toString())).get("status")).isEqualTo("UP");

        assertThat(HealthChecks.disk().build().check().details()).hasSize(1);
    }

    @Test
    void networkReportsInterfacesAndAMissingNamedInterfaceIsDown() throws Exception {
        HealthResult result = HealthChecks.network().build().check();
        assertThat(result.status()).isIn(HealthStatus.UP, HealthStatus.DEGRADED);
        result.details().values().forEach(detail -> assertThat(detail.toString()).contains("packets=", "errors="));

        HealthResult missing = HealthChecks.network().interfaces("vigil-nope0").build().check();
        assertThat(missing.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(missing.details()).containsEntry("vigil-nope0",
                Map.of("status", "DOWN", "error", "interface not found"));
    }

    @Test
    void dnsResolvesLocalhostAndFailsOnAnInvalidName() throws Exception {
        HealthResult localhost = HealthChecks.dns("localhost").build().check();
        assertThat(localhost.status()).isEqualTo(HealthStatus.UP);
        assertThat((List<?>) localhost.details().get("addresses")).isNotEmpty();

        HealthResult invalid = HealthChecks.dns("vigil-test.invalid").timeout(Duration.ofSeconds(3)).build().check();
        assertThat(invalid.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(invalid.details()).containsKey("error");
    }

    @Test
    void jvmReportsGcOverheadAndThreads() throws Exception {
        HealthCheck jvm = HealthChecks.jvm().build();
        HealthResult result = jvm.check();
        assertThat(result.status()).isEqualTo(HealthStatus.UP);
        assertThat((Double) result.details().get("gcOverhead")).isBetween(0.0, 1.0);
        assertThat((Double) result.details().get("threads")).isPositive();
        assertThat(HealthChecks.jvm().threadCount(1, 1).build().check().status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void builtInChecksRunInTheRegistryWithTheirOwnDurations() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CheckOptions options = CheckOptions.builder().interval(Duration.ofMillis(200)).timeout(Duration.ofSeconds(5))
                .build();
        try (HealthRegistry registry = HealthRegistry.builder(prometheus)
                .register("deadlocks", HealthChecks.deadlocks(), CheckOptions.builder().groups("liveness").build())
                .register("cpu", HealthChecks.cpu().build(), options)
                .register("memory", HealthChecks.memory().build(), options)
                .register("disk", HealthChecks.disk().build(), options)
                .register("network", HealthChecks.network().build(), options)
                .register("jvm", HealthChecks.jvm().build(), options)
                .build().start()) {
            List<String> names = List.of("deadlocks", "cpu", "memory", "disk", "network", "jvm");
            await().atMost(Duration.ofSeconds(10)).until(() -> names.stream()
                    .allMatch(name -> registry.check(name).orElseThrow().checkedAt() != null));
            for (String name : names) {
                HealthResult result = registry.check(name).orElseThrow();
                assertThat(result.status()).as(name + " " + result).isIn(HealthStatus.UP, HealthStatus.DEGRADED);
                assertThat(result.duration()).as(name).isNotNull();
            }
            assertThat(registry.group("liveness").orElseThrow().status()).isEqualTo(HealthStatus.UP);
            assertThat(PrometheusScrape.parse(prometheus.scrape()).labelValues("health_check_duration_seconds_count",
                    "check")).containsExactlyInAnyOrderElementsOf(names);
        }
    }
}
