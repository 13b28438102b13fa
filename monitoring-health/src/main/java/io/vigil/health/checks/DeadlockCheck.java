package io.vigil.health.checks;

import io.vigil.core.health.HealthCheck;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/** DOWN while threads are deadlocked on monitors or ownable synchronizers: they will never recover. */
final class DeadlockCheck implements HealthCheck {

    /** Enough names to find the culprits without making the details huge. */
    private static final int MAX_NAMES = 10;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Override
    public HealthResult check() {
        long[] ids = threads.isSynchronizerUsageSupported() ? threads.findDeadlockedThreads()
                : threads.findMonitorDeadlockedThreads();
        if (ids == null || ids.length == 0) {
            return HealthResult.builder(HealthStatus.UP).detail("deadlockedThreads", 0).build();
        }
        List<String> names = new ArrayList<>();
        for (ThreadInfo info : threads.getThreadInfo(ids)) {
            if (info != null && names.size() < MAX_NAMES) {
                names.add(info.getThreadName());
            }
        }
        return HealthResult.builder(HealthStatus.DOWN)
                .detail("deadlockedThreads", ids.length)
                .detail("threads", names)
                .build();
    }
}
