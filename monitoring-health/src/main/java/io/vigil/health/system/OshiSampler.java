package io.vigil.health.system;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vigil.core.catalog.MeterDefinition;
import io.vigil.core.catalog.MeterType;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.internal.InternalErrors;
import oshi.hardware.CentralProcessor;
import oshi.hardware.CentralProcessor.TickType;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HWDiskStore;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.software.os.FileSystem;
import oshi.software.os.OSFileStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the machine through OSHI on the sampler thread and keeps the values the USE meters report. Meters
 * of a device, mount or interface are registered when it first appears (at most {@code maxDevices} of each
 * kind) and removed when it disappears. Each area is sampled on its own, so a failure in one (say, a file
 * system OSHI cannot read) is counted in {@code vigil.internal.errors{component="system"}} and leaves the
 * others alone.
 */
final class OshiSampler {

    /** OpenTelemetry's CPU states, from OSHI's ticks (interrupt = hardware + software interrupts). */
    private static final String[] CPU_STATES = {"user", "nice", "system", "idle", "iowait", "interrupt", "steal"};

    private final MeterRegistry registry;
    private final HardwareAbstractionLayer hardware;
    private final FileSystem fileSystem;
    private final int maxDevices;
    private final Set<String> excludedFileSystemTypes;
    private final InternalErrors errors;

    private final Map<String, SampledValue> cpu = new HashMap<>();
    private long[] previousTicks;
    private final SampledValue memoryUsed = new SampledValue();
    private final SampledValue memoryFree = new SampledValue();
    private final SampledValue memoryUsedRatio = new SampledValue();
    private final SampledValue memoryFreeRatio = new SampledValue();
    private final List<Meter> fixedMeters = new ArrayList<>();
    private boolean fixedRegistered;

    private final Map<String, DeviceSeries> fileSystems = new HashMap<>();
    private final Map<String, DeviceSeries> disks = new HashMap<>();
    private final Map<String, DeviceSeries> interfaces = new HashMap<>();

    OshiSampler(MeterRegistry registry, HardwareAbstractionLayer hardware, FileSystem fileSystem, int maxDevices,
            Set<String> excludedFileSystemTypes, InternalErrors errors) {
        this.registry = registry;
        this.hardware = hardware;
        this.fileSystem = fileSystem;
        this.maxDevices = maxDevices;
        this.excludedFileSystemTypes = Set.copyOf(excludedFileSystemTypes);
        this.errors = errors;
        for (String state : CPU_STATES) {
            cpu.put(state, new SampledValue());
        }
    }

    /** One sample of everything; called only from the sampler thread. */
    void sample() {
        errors.run(this::sampleCpu);
        errors.run(this::sampleMemory);
        errors.run(this::sampleFileSystems);
        errors.run(this::sampleDisks);
        errors.run(this::sampleNetwork);
        if (!fixedRegistered) {
            fixedRegistered = true;
            registerFixedMeters();
        }
    }

    /** Removes every meter this sampler registered. */
    void removeMeters() {
        fixedMeters.forEach(registry::remove);
        fixedMeters.clear();
        for (Map<String, DeviceSeries> devices : List.of(fileSystems, disks, interfaces)) {
            devices.values().forEach(series -> series.remove(registry));
            devices.clear();
        }
    }

    private void registerFixedMeters() {
        for (String state : CPU_STATES) {
            fixedMeters.add(gauge(MetricCatalog.SYSTEM_CPU_UTILIZATION, Tags.of("state", state), cpu.get(state)));
        }
        fixedMeters.add(gauge(MetricCatalog.SYSTEM_MEMORY_USAGE, Tags.of("state", "used"), memoryUsed));
        fixedMeters.add(gauge(MetricCatalog.SYSTEM_MEMORY_USAGE, Tags.of("state", "free"), memoryFree));
        fixedMeters.add(gauge(MetricCatalog.SYSTEM_MEMORY_UTILIZATION, Tags.of("state", "used"), memoryUsedRatio));
        fixedMeters.add(gauge(MetricCatalog.SYSTEM_MEMORY_UTILIZATION, Tags.of("state", "free"), memoryFreeRatio));
    }

    private void sampleCpu() {
        long[] ticks = hardware.getProcessor().getSystemCpuLoadTicks();
        long[] since = previousTicks != null ? previousTicks : new long[ticks.length];
        previousTicks = ticks;
        long[] byState = {
            delta(ticks, since, TickType.USER),
            delta(ticks, since, TickType.NICE),
            delta(ticks, since, TickType.SYSTEM),
            delta(ticks, since, TickType.IDLE),
            delta(ticks, since, TickType.IOWAIT),
            delta(ticks, since, TickType.IRQ) + delta(ticks, since, TickType.SOFTIRQ),
            delta(ticks, since, TickType.STEAL)
        };
        long total = 0;
        for (long value : byState) {
            total += value;
        }
        if (total <= 0) {
            return; // no tick elapsed since the last sample: keep the previous utilization
        }
        for (int i = 0; i < CPU_STATES.length; i++) {
            cpu.get(CPU_STATES[i]).set((double) byState[i] / total);
        }
    }

    private static long delta(long[] now, long[] before, TickType type) {
        int i = type.getIndex();
        return Math.max(0, now[i] - before[i]);
    }

    private void sampleMemory() {
        GlobalMemory memory = hardware.getMemory();
        long total = memory.getTotal();
        long available = Math.min(total, memory.getAvailable());
        if (total <= 0) {
            return;
        }
        memoryUsed.set(total - available);
        memoryFree.set(available);
        memoryUsedRatio.set((double) (total - available) / total);
        memoryFreeRatio.set((double) available / total);
    }

    private void sampleFileSystems() {
        Set<String> seen = new HashSet<>();
        for (OSFileStore store : fileSystem.getFileStores(true)) {
            String type = store.getType() == null ? "" : store.getType().toLowerCase(Locale.ROOT);
            long total = store.getTotalSpace();
            if (excludedFileSystemTypes.contains(type) || total <= 0) {
                continue;
            }
            String mount = store.getMount();
            if (!seen.add(mount)) {
                continue; // the same mount listed twice (bind mounts): count its space once
            }
            DeviceSeries series = fileSystems.get(mount);
            if (series == null) {
                if (fileSystems.size() >= maxDevices) {
                    continue;
                }
                series = new DeviceSeries();
                String device = store.getVolume() == null || store.getVolume().isEmpty() ? store.getName()
                        : store.getVolume();
                for (String state : new String[] {"used", "free", "reserved"}) {
                    series.add(MetricCatalog.SYSTEM_FILESYSTEM_USAGE,
                            Tags.of("device", device, "mountpoint", mount, "state", state));
                }
                fileSystems.put(mount, series);
            }
            long free = store.getFreeSpace();
            long usable = Math.min(free, store.getUsableSpace());
            series.set(0, total - free);
            series.set(1, usable);
            series.set(2, free - usable);
        }
        removeVanished(fileSystems, seen);
    }

    private void sampleDisks() {
        Set<String> seen = new HashSet<>();
        for (HWDiskStore disk : hardware.getDiskStores()) {
            String name = disk.getName();
            if (isVirtualDisk(name)) {
                continue;
            }
            DeviceSeries series = disks.get(name);
            if (series == null && disks.size() >= maxDevices) {
                continue;
            }
            if (series == null) {
                series = new DeviceSeries();
                series.add(MetricCatalog.SYSTEM_DISK_IO, Tags.of("device", deviceName(name), "direction", "read"));
                series.add(MetricCatalog.SYSTEM_DISK_IO, Tags.of("device", deviceName(name), "direction", "write"));
                disks.put(name, series);
            }
            series.set(0, disk.getReadBytes());
            series.set(1, disk.getWriteBytes());
            seen.add(name);
        }
        removeVanished(disks, seen);
    }

    private void sampleNetwork() {
        Set<String> seen = new HashSet<>();
        for (NetworkIF network : hardware.getNetworkIFs(false)) {
            String name = network.getName();
            DeviceSeries series = interfaces.get(name);
            if (series == null) {
                if (interfaces.size() >= maxDevices) {
                    continue;
                }
                series = new DeviceSeries();
                series.add(MetricCatalog.SYSTEM_NETWORK_IO, Tags.of("device", name, "direction", "receive"));
                series.add(MetricCatalog.SYSTEM_NETWORK_IO, Tags.of("device", name, "direction", "transmit"));
                series.add(MetricCatalog.SYSTEM_NETWORK_ERRORS, Tags.of("device", name, "direction", "receive"));
                series.add(MetricCatalog.SYSTEM_NETWORK_ERRORS, Tags.of("device", name, "direction", "transmit"));
                // OSHI counts dropped packets only on receive.
                series.add(MetricCatalog.SYSTEM_NETWORK_DROPPED, Tags.of("device", name, "direction", "receive"));
                interfaces.put(name, series);
            }
            series.set(0, network.getBytesRecv());
            series.set(1, network.getBytesSent());
            series.set(2, network.getInErrors());
            series.set(3, network.getOutErrors());
            series.set(4, network.getInDrops());
            seen.add(name);
        }
        removeVanished(interfaces, seen);
    }

    private void removeVanished(Map<String, DeviceSeries> devices, Set<String> seen) {
        Iterator<Map.Entry<String, DeviceSeries>> it = devices.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, DeviceSeries> entry = it.next();
            if (!seen.contains(entry.getKey())) {
                entry.getValue().remove(registry);
                it.remove();
            }
        }
    }

    /** Loop devices, RAM disks and optical drives are not where an application's I/O goes. */
    private static boolean isVirtualDisk(String name) {
        String device = deviceName(name);
        return device.startsWith("loop") || device.startsWith("ram") || device.startsWith("zram")
                || device.startsWith("sr") || device.startsWith("fd");
    }

    /** {@code /dev/sda} → {@code sda}, as node_exporter and OpenTelemetry name disks. */
    private static String deviceName(String name) {
        return name.startsWith("/dev/") ? name.substring(5) : name;
    }

    private Meter gauge(MeterDefinition definition, Tags tags, SampledValue value) {
        return definition.gauge(registry, tags, value, SampledValue::get);
    }

    /** The series of one device: its values, in registration order, and their meters. */
    private final class DeviceSeries {
        private final List<SampledValue> values = new ArrayList<>();
        private final List<Meter> meters = new ArrayList<>();

        void add(MeterDefinition definition, Tags tags) {
            SampledValue value = new SampledValue();
            values.add(value);
            meters.add(definition.type() == MeterType.COUNTER
                    ? definition.functionCounter(registry, tags, value, SampledValue::get)
                    : gauge(definition, tags, value));
        }

        void set(int index, double value) {
            values.get(index).set(value);
        }

        void remove(MeterRegistry from) {
            meters.forEach(from::remove);
        }
    }
}
