package io.vigil.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.alerts.AlertEngine;
import io.vigil.alerts.RuleFiles;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The heap the alert engine retains over a registry — its series store filled with the pack's longest history,
 * the rule states — for each load of {@link AlertEngineBenchmark}. Run in a fresh JVM; prints
 * {@code <load>: retained_bytes=N stored_series=M}. Budget: under 20 MB for 10,000 series.
 */
public final class AlertStoreFootprint {

    private AlertStoreFootprint() {
    }

    public static void main(String[] args) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (String load : new String[] {"reference", "series10k"}) {
            PrometheusMeterRegistry registry = AlertLoads.registry(load);
            // Warm the registry's own lazily built state and the classes outside the measurement.
            fill(AlertEngine.builder(registry).rules(RuleFiles.pack()).clock(new AlertEngineBenchmark.TickingClock())
                    .build()).close();
            long before = settledHeap(memory);
            AlertEngine engine = fill(AlertEngine.builder(registry).rules(RuleFiles.pack())
                    .clock(new AlertEngineBenchmark.TickingClock()).build());
            long after = settledHeap(memory);
            // CPU and allocation of one tick on this thread: what a loaded machine cannot distort.
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long cpu = threads.getCurrentThreadCpuTime();
            long allocated = threads.getCurrentThreadAllocatedBytes();
            int ticks = 20;
            for (int i = 0; i < ticks; i++) {
                engine.evaluate();
            }
            double cpuMs = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / ticks;
            long bytes = (threads.getCurrentThreadAllocatedBytes() - allocated) / ticks;
            System.out.println(load + ": retained_bytes=" + (after - before) + " stored_series="
                    + engine.storedSeries() + " scraped_series=" + AlertLoads.scrapedSeries(registry)
                    + " cpu_ms_per_tick=" + String.format(java.util.Locale.ROOT, "%.1f", cpuMs)
                    + " allocated_bytes_per_tick=" + bytes);
            engine.close();
        }
    }

    private static AlertEngine fill(AlertEngine engine) {
        for (int i = 0; i < 50; i++) {
            engine.evaluate();
        }
        return engine;
    }

    private static long settledHeap(MemoryMXBean memory) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
