package io.vigil.health.checks;

import io.vigil.core.health.HealthCheck;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Error and drop rates of network interfaces (OSHI), over the packets since the previous run: errors per
 * packet in both directions, drops per received packet. Too few packets in the interval say nothing, so
 * rates are judged only from {@code minPackets} on. At most {@link #MAX_INTERFACES} interfaces are looked at.
 */
final class NetworkCheck implements HealthCheck {

    static final int MAX_INTERFACES = 16;

    private final HardwareAbstractionLayer hardware;
    private final Set<String> interfaces;
    private final Threshold errorRate;
    private final Threshold dropRate;
    private final long minPackets;
    private final Map<String, long[]> previous = new HashMap<>();

    NetworkCheck(HardwareAbstractionLayer hardware, Set<String> interfaces, Threshold errorRate, Threshold dropRate,
            long minPackets) {
        this.hardware = hardware;
        this.interfaces = Set.copyOf(interfaces);
        this.errorRate = errorRate;
        this.dropRate = dropRate;
        this.minPackets = minPackets;
    }

    /** Runs are never concurrent (the registry starts one at a time), but a user may call check() directly. */
    @Override
    public synchronized HealthResult check() {
        HealthStatus status = HealthStatus.UP;
        HealthResult.Builder result = HealthResult.builder(HealthStatus.UP);
        Map<String, long[]> current = new HashMap<>();
        int seen = 0;
        for (NetworkIF network : hardware.getNetworkIFs(false)) {
            String name = network.getName();
            if (!interfaces.isEmpty() && !interfaces.contains(name)) {
                continue;
            }
            if (seen++ >= MAX_INTERFACES) {
                break;
            }
            long[] counters = {network.getPacketsRecv(), network.getPacketsSent(),
                    network.getInErrors() + network.getOutErrors(), network.getInDrops()};
            current.put(name, counters);
            long[] before = previous.getOrDefault(name, new long[4]);
            long received = counters[0] - before[0];
            long packets = received + counters[1] - before[1];
            long errors = counters[2] - before[2];
            long drops = counters[3] - before[3];
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("packets", packets);
            detail.put("errors", errors);
            detail.put("drops", drops);
            HealthStatus interfaceStatus = HealthStatus.UP;
            if (packets >= minPackets && packets > 0) {
                double errorsPerPacket = (double) errors / packets;
                double dropsPerPacket = received > 0 ? (double) drops / received : 0;
                detail.put("errorRate", Evaluation.round(errorsPerPacket));
                detail.put("dropRate", Evaluation.round(dropsPerPacket));
                interfaceStatus = errorRate.evaluate(errorsPerPacket).worst(dropRate.evaluate(dropsPerPacket));
            }
            detail.put("status", interfaceStatus.name());
            result.detail(name, detail);
            status = status.worst(interfaceStatus);
        }
        previous.clear();
        previous.putAll(current);
        if (!interfaces.isEmpty()) {
            for (String wanted : interfaces) {
                if (!current.containsKey(wanted)) {
                    result.detail(wanted, Map.of("status", HealthStatus.DOWN.name(), "error", "interface not found"));
                    status = HealthStatus.DOWN;
                }
            }
        }
        return result.status(status).build();
    }
}
