package io.vigil.health.checks;

import io.vigil.core.health.HealthCheck;
import io.vigil.core.health.HealthResult;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * GC overhead — the fraction of wall time spent in garbage collection since the previous run (since JVM
 * start on the first) — and the live thread count.
 */
final class JvmCheck implements HealthCheck {

    private final Threshold gcOverhead;
    private final Threshold threadCount;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long previousGcMillis;
    private long previousNanos;

    JvmCheck(Threshold gcOverhead, Threshold threadCount) {
        this.gcOverhead = gcOverhead;
        this.threadCount = threadCount;
        this.previousNanos = System.nanoTime()
                - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
    }

    @Override
    public synchronized HealthResult check() {
        long gcMillis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            long time = collector.getCollectionTime();
            if (time > 0) {
                gcMillis += time;
            }
        }
        long now = System.nanoTime();
        double elapsedMillis = (now - previousNanos) / 1_000_000.0;
        double overhead = elapsedMillis > 0 ? Math.min(1, (gcMillis - previousGcMillis) / elapsedMillis) : Double.NaN;
        previousGcMillis = gcMillis;
        previousNanos = now;
        return new Evaluation()
                .measure(gcOverhead, overhead)
                .measure(threadCount, threads.getThreadCount())
                .detail("intervalMs", Math.round(elapsedMillis))
                .build();
    }
}
