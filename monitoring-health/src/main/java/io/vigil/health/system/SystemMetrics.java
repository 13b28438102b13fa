package io.vigil.health.system;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.vigil.core.internal.InternalErrors;
import oshi.SystemInfo;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The machine's USE metrics through OSHI — {@code system.cpu.utilization{state}},
 * {@code system.memory.usage{state}}, {@code system.memory.utilization{state}},
 * {@code system.filesystem.usage{device,mountpoint,state}}, {@code system.disk.io{device,direction}},
 * {@code system.network.io|errors|dropped{device,direction}} — plus Micrometer's JVM and process binders
 * ({@code jvm.memory.*}, {@code jvm.gc.*}, {@code jvm.threads.*}, {@code jvm.classes.*}, {@code system.cpu.usage},
 * {@code process.cpu.usage}, {@code process.uptime}, {@code process.files.*}), in one call:
 *
 * <pre>{@code
 * SystemMetrics system = SystemMetrics.bindTo(meterRegistry);   // close() on shutdown
 * }</pre>
 *
 * <p>OSHI is read on one daemon thread ({@value #THREAD_NAME}), first right away and then every interval
 * (default 10 s); meters report the cached values, so a scrape never waits on the operating system. Devices,
 * mounts and interfaces are capped (default 16 of each) and pseudo file systems (tmpfs, overlay, proc, …)
 * are skipped, so the series count stays bounded.
 */
public final class SystemMetrics implements AutoCloseable {

    public static final String THREAD_NAME = "vigil-system-metrics";

    /** File system types that hold no application data or are views of another file system. */
    public static final Set<String> DEFAULT_EXCLUDED_FILE_SYSTEM_TYPES = Set.of("tmpfs", "devtmpfs", "overlay",
            "proc", "sysfs", "cgroup", "cgroup2", "squashfs", "autofs", "nsfs", "devpts", "mqueue", "debugfs",
            "tracefs", "securityfs", "pstore", "bpf", "fusectl", "configfs", "hugetlbfs", "ramfs", "binfmt_misc",
            "rpc_pipefs", "efivarfs", "selinuxfs", "nfsd", "fuse.lxcfs", "devfs", "none");

    private final ScheduledThreadPoolExecutor sampler;
    private final OshiSampler oshi;
    private final JvmGcMetrics gcMetrics;
    private final Object closeLock = new Object();
    private boolean closed;

    private SystemMetrics(Builder builder, MeterRegistry registry) {
        SystemInfo system = new SystemInfo();
        this.oshi = new OshiSampler(registry, system.getHardware(), system.getOperatingSystem().getFileSystem(),
                builder.maxDevices, builder.excludedFileSystemTypes, InternalErrors.forComponent(registry, "system"));
        if (builder.jvmMetrics) {
            new JvmMemoryMetrics().bindTo(registry);
            gcMetrics = new JvmGcMetrics();
            gcMetrics.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
        } else {
            gcMetrics = null;
        }
        this.sampler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        long intervalNanos = builder.interval.toNanos();
        sampler.scheduleWithFixedDelay(this::sample, 0, intervalNanos, TimeUnit.NANOSECONDS);
    }

    /** Binds everything with the defaults (10 s sampling, 16 devices of each kind, JVM binders on). */
    public static SystemMetrics bindTo(MeterRegistry registry) {
        return builder().bindTo(registry);
    }

    public static Builder builder() {
        return new Builder();
    }

    private void sample() {
        // Registration and sampling share the sampler thread; close() removes meters on it too.
        synchronized (closeLock) {
            if (!closed) {
                oshi.sample();
            }
        }
    }

    /** Stops sampling and removes the OSHI meters; the JVM binders' meters stay (as Micrometer's do). */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            oshi.removeMeters();
        }
        sampler.shutdownNow();
        if (gcMetrics != null) {
            gcMetrics.close();
        }
    }

    public static final class Builder {
        private Duration interval = Duration.ofSeconds(10);
        private int maxDevices = 16;
        private Set<String> excludedFileSystemTypes = DEFAULT_EXCLUDED_FILE_SYSTEM_TYPES;
        private boolean jvmMetrics = true;

        private Builder() {
        }

        /** How often OSHI is read; at least 100 ms (default 10 s). */
        public Builder interval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("interval must be at least 100 ms but was " + interval);
            }
            this.interval = interval;
            return this;
        }

        /** The most file systems, disks and network interfaces reported, each (1 to 256, default 16). */
        public Builder maxDevices(int maxDevices) {
            if (maxDevices < 1 || maxDevices > 256) {
                throw new IllegalArgumentException("maxDevices must be between 1 and 256 but was " + maxDevices);
            }
            this.maxDevices = maxDevices;
            return this;
        }

        /** File system types to skip, replacing {@link #DEFAULT_EXCLUDED_FILE_SYSTEM_TYPES}. */
        public Builder excludeFileSystemTypes(Set<String> types) {
            Set<String> lower = new TreeSet<>();
            for (String type : types) {
                lower.add(type.toLowerCase(Locale.ROOT));
            }
            this.excludedFileSystemTypes = lower;
            return this;
        }

        /** Whether Micrometer's JVM and process binders are bound too (default true). */
        public Builder jvmMetrics(boolean jvmMetrics) {
            this.jvmMetrics = jvmMetrics;
            return this;
        }

        public SystemMetrics bindTo(MeterRegistry registry) {
            return new SystemMetrics(this, Objects.requireNonNull(registry, "registry"));
        }
    }
}
