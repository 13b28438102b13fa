package io.vigil.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.alerts.AlertEngine;
import io.vigil.alerts.RuleFiles;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * What one alert-engine tick costs — sampling the registry plus evaluating the whole pack, in CPU time of the
 * evaluating thread, which a loaded machine distorts far less than wall time — and the heap the engine retains
 * (its series store filled with the pack's longest history, the rule states), for each load of
 * {@link AlertEngineBenchmark}. Run in a fresh JVM:
 * {@code java -cp benchmarks/target/benchmarks.jar io.vigil.benchmarks.AlertStoreFootprint [load…]}
 * (loads: {@code series10k}, {@code reference}; default both, the budget's load first).
 *
 * <p>Prints a human line per load, then machine-readable {@code key=value} lines, one per line. The budget's load
 * (about 10,000 series; budget: a tick under 50 ms of one core, the store under 20 MB) has bare keys:
 * <pre>
 * series=9821
 * tick_cpu_ms_median=21.4
 * tick_cpu_ms_p90=25.0
 * retained_bytes=5835064
 * allocated_bytes_per_tick=3400000
 * </pre>
 * the reference load the same keys prefixed {@code reference_}.
 */
public final class AlertStoreFootprint {

    /** Ticks before measuring: fills the longest ring (1 h + 5 m at 15 s) and lets the JIT settle. */
    private static final int FILL_TICKS = 300;
    private static final int MEASURED_TICKS = 100;

    private AlertStoreFootprint() {
    }

    public static void main(String[] args) throws Exception {
        String[] loads = args.length > 0 ? args : new String[] {"series10k", "reference"};
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (String load : loads) {
            PrometheusMeterRegistry registry = AlertLoads.registry(load);
            // Warm the registry's own lazily built state and the classes outside the memory measurement.
            fill(AlertEngine.builder(registry).rules(RuleFiles.pack()).clock(new AlertEngineBenchmark.TickingClock())
                    .build(), 50).close();
            long before = settledHeap(memory);
            AlertEngine engine = fill(AlertEngine.builder(registry).rules(RuleFiles.pack())
                    .clock(new AlertEngineBenchmark.TickingClock()).build(), FILL_TICKS);
            long after = settledHeap(memory);

            double[] cpuMs = new double[MEASURED_TICKS];
            long allocated = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < MEASURED_TICKS; i++) {
                long cpu = threads.getCurrentThreadCpuTime();
                engine.evaluate();
                cpuMs[i] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
            }
            long bytesPerTick = (threads.getCurrentThreadAllocatedBytes() - allocated) / MEASURED_TICKS;
            Arrays.sort(cpuMs);
            double median = percentile(cpuMs, 0.5);
            double p90 = percentile(cpuMs, 0.9);
            int series = AlertLoads.scrapedSeries(registry);
            long retained = after - before;
            System.out.println(load + ": " + series + " scraped series, " + engine.storedSeries()
                    + " stored; one tick (sample + evaluate the pack) " + format(median) + " ms CPU median, "
                    + format(p90) + " ms p90 over " + MEASURED_TICKS + " ticks, " + bytesPerTick
                    + " bytes allocated per tick; engine retains " + retained + " bytes");
            String prefix = load.equals("series10k") ? "" : load + "_";
            System.out.println(prefix + "series=" + series);
            System.out.println(prefix + "stored_series=" + engine.storedSeries());
            System.out.println(prefix + "tick_cpu_ms_median=" + format(median));
            System.out.println(prefix + "tick_cpu_ms_p90=" + format(p90));
            System.out.println(prefix + "retained_bytes=" + retained);
            System.out.println(prefix + "allocated_bytes_per_tick=" + bytesPerTick);
            engine.close();
        }
    }

    /** Nearest-rank percentile of sorted values. */
    private static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String format(double ms) {
        return String.format(Locale.ROOT, "%.1f", ms);
    }

    private static AlertEngine fill(AlertEngine engine, int ticks) {
        for (int i = 0; i < ticks; i++) {
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
