package io.vigil.health.checks;

import io.vigil.core.health.HealthCheck;
import io.vigil.core.health.HealthResult;
import oshi.hardware.GlobalMemory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * Heap left after the last garbage collection (the collection usage of each bounded old-generation heap pool, so garbage
 * that the next GC frees does not count) and the machine's available physical memory (OSHI: what can be
 * allocated without swapping, page cache included).
 */
final class MemoryCheck implements HealthCheck {

    private final Threshold heapAfterGc;
    private final Threshold systemAvailable;
    private final GlobalMemory memory;

    MemoryCheck(Threshold heapAfterGc, Threshold systemAvailable, GlobalMemory memory) {
        this.heapAfterGc = heapAfterGc;
        this.systemAvailable = systemAvailable;
        this.memory = memory;
    }

    @Override
    public HealthResult check() {
        double heapRatio = Double.NaN;
        String heapPool = null;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP || isYoungGeneration(pool.getName())) {
                continue;
            }
            MemoryUsage afterGc = pool.getCollectionUsage();
            if (afterGc == null || afterGc.getMax() <= 0) {
                continue;
            }
            double ratio = (double) afterGc.getUsed() / afterGc.getMax();
            if (Double.isNaN(heapRatio) || ratio > heapRatio) {
                heapRatio = ratio;
                heapPool = pool.getName();
            }
        }
        long total = memory.getTotal();
        long available = memory.getAvailable();
        Evaluation evaluation = new Evaluation().measure(heapAfterGc, heapRatio);
        if (heapPool != null) {
            evaluation.detail("heapPool", heapPool);
        }
        return evaluation
                .measure(systemAvailable, total > 0 ? (double) available / total : Double.NaN)
                .detail("systemAvailableBytes", available)
                .detail("systemTotalBytes", total)
                .build();
    }

    /** Eden and survivor spaces are empty or briefly full after a young GC; only the old generation tells. */
    private static boolean isYoungGeneration(String pool) {
        return pool.contains("Eden") || pool.contains("Survivor") || pool.contains("Nursery");
    }
}
