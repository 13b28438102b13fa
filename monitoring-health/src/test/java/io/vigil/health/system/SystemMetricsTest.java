package io.vigil.health.system;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** This machine's USE metrics in a real Prometheus scrape. */
@SuppressWarnings("try") // the try blocks only scope the binding
class SystemMetricsTest {

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private PrometheusScrape scrapeOnceSampled() {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            PrometheusScrape scrape = PrometheusScrape.parse(prometheus.scrape());
            return scrape.has("system_memory_usage_bytes") && scrape.has("system_cpu_utilization");
        });
        return PrometheusScrape.parse(prometheus.scrape());
    }

    @Test
    void cpuAndMemoryArePlausible() {
        try (SystemMetrics ignored = SystemMetrics.builder().interval(Duration.ofMillis(200)).bindTo(prometheus)) {
            PrometheusScrape scrape = scrapeOnceSampled();

            assertThat(scrape.labelValues("system_cpu_utilization", "state"))
                    .containsExactlyInAnyOrder("user", "nice", "system", "idle", "iowait", "interrupt", "steal");
            for (PrometheusScrape.Sample sample : scrape.samples("system_cpu_utilization")) {
                assertThat(sample.value()).as(sample.toString()).isBetween(0.0, 1.0);
            }
            assertThat(scrape.sum("system_cpu_utilization")).isCloseTo(1.0, within(1e-6));

            double used = scrape.value("system_memory_usage_bytes", "state", "used");
            double free = scrape.value("system_memory_usage_bytes", "state", "free");
            assertThat(used).isPositive().isLessThanOrEqualTo(used + free);
            assertThat(free).isPositive();
            double usedRatio = scrape.value("system_memory_utilization", "state", "used");
            assertThat(usedRatio).isBetween(0.0, 1.0);
            assertThat(usedRatio + scrape.value("system_memory_utilization", "state", "free"))
                    .isCloseTo(1.0, within(1e-9));
            assertThat(usedRatio).isCloseTo(used / (used + free), within(0.05));
        }
    }

    @Test
    void fileSystemsDisksAndInterfacesAreBoundedAndSkipPseudoFileSystems() {
        try (SystemMetrics ignored = SystemMetrics.builder().interval(Duration.ofMillis(200)).bindTo(prometheus)) {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    PrometheusScrape.parse(prometheus.scrape()).has("system_filesystem_usage_bytes"));
            PrometheusScrape scrape = PrometheusScrape.parse(prometheus.scrape());

            Set<String> mounts = scrape.labelValues("system_filesystem_usage_bytes", "mountpoint");
            assertThat(mounts).isNotEmpty().hasSizeLessThanOrEqualTo(16)
                    .doesNotContain("/proc", "/sys", "/dev/shm", "/dev", "/sys/fs/cgroup");
            String mount = mounts.contains("/") ? "/" : mounts.iterator().next();
            assertThat(scrape.value("system_filesystem_usage_bytes", "mountpoint", mount, "state", "used"))
                    .isPositive();
            assertThat(scrape.value("system_filesystem_usage_bytes", "mountpoint", mount, "state", "free"))
                    .isPositive();
            assertThat(scrape.labelValues("system_filesystem_usage_bytes", "state"))
                    .containsExactlyInAnyOrder("used", "free", "reserved");

            for (String device : scrape.labelValues("system_disk_io_bytes_total", "device")) {
                assertThat(device).doesNotStartWith("loop").doesNotStartWith("/dev/");
                assertThat(scrape.value("system_disk_io_bytes_total", "device", device, "direction", "read"))
                        .isGreaterThanOrEqualTo(0);
            }
            Set<String> interfaces = scrape.labelValues("system_network_io_bytes_total", "device");
            assertThat(interfaces).doesNotContain("lo").hasSizeLessThanOrEqualTo(16);
            for (String device : interfaces) {
                assertThat(scrape.value("system_network_io_bytes_total", "device", device, "direction", "receive"))
                        .isGreaterThanOrEqualTo(0);
                assertThat(scrape.has("system_network_errors_total", "device", device, "direction", "transmit"))
                        .isTrue();
                assertThat(scrape.has("system_network_dropped_total", "device", device, "direction", "receive"))
                        .isTrue();
            }
        }
    }

    @Test
    void theDeviceCapHolds() {
        try (SystemMetrics ignored = SystemMetrics.builder().interval(Duration.ofMillis(200)).maxDevices(1)
                .excludeFileSystemTypes(Set.of()).jvmMetrics(false).bindTo(prometheus)) {
            PrometheusScrape scrape = scrapeOnceSampled();
            assertThat(scrape.labelValues("system_filesystem_usage_bytes", "mountpoint")).hasSizeLessThanOrEqualTo(1);
            assertThat(scrape.labelValues("system_disk_io_bytes_total", "device")).hasSizeLessThanOrEqualTo(1);
            assertThat(scrape.labelValues("system_network_io_bytes_total", "device")).hasSizeLessThanOrEqualTo(1);
            assertThat(scrape.has("jvm_memory_used_bytes")).isFalse();
        }
    }

    @Test
    void jvmAndProcessBindersComeInTheSameCall() {
        try (SystemMetrics ignored = SystemMetrics.bindTo(prometheus)) {
            PrometheusScrape scrape = scrapeOnceSampled();
            assertThat(scrape.names()).contains("jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total",
                    "jvm_threads_live_threads", "jvm_classes_loaded_classes", "system_cpu_count",
                    "process_cpu_usage", "process_uptime_seconds", "process_files_open_files");
            assertThat(scrape.value("jvm_memory_used_bytes", "area", "heap", "id", heapPool(scrape))).isPositive();
        }
    }

    @Test
    void oneDaemonThreadSamplesAndCloseRemovesTheSystemSeries() {
        SystemMetrics metrics = SystemMetrics.builder().interval(Duration.ofMillis(100)).jvmMetrics(false)
                .bindTo(prometheus);
        scrapeOnceSampled();
        assertThat(samplerThreads()).hasSize(1).allMatch(Thread::isDaemon);

        metrics.close();
        metrics.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> samplerThreads().isEmpty());
        PrometheusScrape scrape = PrometheusScrape.parse(prometheus.scrape());
        assertThat(scrape.names()).noneMatch(name -> name.startsWith("system_"));
        assertThat(scrape.value("vigil_internal_errors_total", "component", "system")).isZero();
    }

    @Test
    void rejectsBadConfiguration() {
        assertThatThrownBy(() -> SystemMetrics.builder().interval(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SystemMetrics.builder().maxDevices(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String heapPool(PrometheusScrape scrape) {
        return scrape.series("jvm_memory_used_bytes").stream().filter(labels -> "heap".equals(labels.get("area")))
                .map(labels -> labels.get("id")).findFirst().orElseThrow();
    }

    private static List<Thread> samplerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().equals(SystemMetrics.THREAD_NAME))
                .collect(Collectors.toList());
    }
}
