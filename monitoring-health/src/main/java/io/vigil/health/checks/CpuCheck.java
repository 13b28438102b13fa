package io.vigil.health.checks;

import io.vigil.core.health.HealthCheck;
import io.vigil.core.health.HealthResult;

import java.lang.management.ManagementFactory;

/**
 * System and process CPU utilization (container-aware, from the JDK's OperatingSystemMXBean) and the
 * 1-minute load average per core. A value the platform does not provide (load average on Windows) is
 * reported as unavailable and does not affect the status.
 */
final class CpuCheck implements HealthCheck {

    private final com.sun.management.OperatingSystemMXBean os;
    private final Threshold system;
    private final Threshold process;
    private final Threshold loadPerCore;

    CpuCheck(Threshold system, Threshold process, Threshold loadPerCore) {
        this.os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        this.system = system;
        this.process = process;
        this.loadPerCore = loadPerCore;
    }

    @Override
    public HealthResult check() {
        int cores = os.getAvailableProcessors();
        double load = os.getSystemLoadAverage();
        return new Evaluation()
                .measure(system, os.getCpuLoad())
                .measure(process, os.getProcessCpuLoad())
                .measure(loadPerCore, load < 0 ? Double.NaN : load / cores)
                .detail("cores", cores)
                .build();
    }
}
