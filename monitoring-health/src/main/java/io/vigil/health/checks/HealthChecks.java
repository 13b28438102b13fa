package io.vigil.health.checks;

import io.vigil.core.health.HealthCheck;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The built-in checks, for registration with {@code HealthRegistry}: application (deadlocks, heartbeat),
 * CPU, memory, disk, network, DNS, HTTP and TCP dependencies, JVM. Database and cache checks live in the
 * jdbc and redis modules. Every threshold has a production-safe default (see each builder) and every
 * result carries the measured values as details; a crossed limit is named under {@code crossed}.
 *
 * <p>A limit is off when set to {@code Double.POSITIVE_INFINITY} (for "at or above" limits) or {@code 0}
 * (for "below" limits). Invalid limits fail at configuration time with an IllegalArgumentException.
 */
public final class HealthChecks {

    private HealthChecks() {
    }

    /** DOWN while JVM threads are deadlocked (ThreadMXBean); a liveness check. */
    public static HealthCheck deadlocks() {
        return new DeadlockCheck();
    }

    /** A heartbeat the application ticks ({@link Heartbeat#beat()}); DOWN when older than {@code maxAge}. */
    public static Heartbeat heartbeat(Duration maxAge) {
        return new Heartbeat(positive(maxAge, "maxAge"));
    }

    public static CpuBuilder cpu() {
        return new CpuBuilder();
    }

    public static MemoryBuilder memory() {
        return new MemoryBuilder();
    }

    /** Free space of the file systems holding {@code paths} (the working directory when none). */
    public static DiskBuilder disk(Path... paths) {
        return new DiskBuilder(paths);
    }

    public static NetworkBuilder network() {
        return new NetworkBuilder();
    }

    /** Resolution of {@code host} through the system resolver. */
    public static DnsBuilder dns(String host) {
        return new DnsBuilder(host);
    }

    /** An HTTP GET of {@code uri} (http or https). */
    public static HttpBuilder http(URI uri) {
        return new HttpBuilder(uri);
    }

    /** A TCP connect to {@code host:port}. */
    public static TcpBuilder tcp(String host, int port) {
        return new TcpBuilder(host, port);
    }

    public static JvmBuilder jvm() {
        return new JvmBuilder();
    }

    /**
     * A liveness signal from the application's own loop (a consumer, a scheduler): call {@link #beat()} each
     * iteration. DOWN when the last beat (or the creation, before the first) is older than the maximum age.
     */
    public static final class Heartbeat implements HealthCheck {
        private final Duration maxAge;
        private volatile long lastBeatNanos = System.nanoTime();
        private volatile boolean beaten;

        private Heartbeat(Duration maxAge) {
            this.maxAge = maxAge;
        }

        /** Records that the application is making progress. Cheap: one volatile write. */
        public void beat() {
            lastBeatNanos = System.nanoTime();
            if (!beaten) {
                beaten = true;
            }
        }

        @Override
        public HealthResult check() {
            long ageNanos = System.nanoTime() - lastBeatNanos;
            HealthStatus status = ageNanos > maxAge.toNanos() ? HealthStatus.DOWN : HealthStatus.UP;
            return HealthResult.builder(status)
                    .detail("ageMs", ageNanos / 1_000_000)
                    .detail("maxAgeMs", maxAge.toMillis())
                    .detail("beaten", beaten)
                    .build();
        }
    }

    /**
     * System and process CPU utilization (0–1) and 1-minute load average per core. Defaults: DEGRADED at
     * 0.90 system or process utilization and at a load of 2.0 per core; DOWN off (busy is not broken).
     */
    public static final class CpuBuilder {
        private double systemDegraded = 0.90;
        private double systemDown = Double.POSITIVE_INFINITY;
        private double processDegraded = 0.90;
        private double processDown = Double.POSITIVE_INFINITY;
        private double loadDegraded = 2.0;
        private double loadDown = Double.POSITIVE_INFINITY;

        private CpuBuilder() {
        }

        public CpuBuilder systemUtilization(double degradedAt, double downAt) {
            systemDegraded = degradedAt;
            systemDown = downAt;
            return this;
        }

        public CpuBuilder processUtilization(double degradedAt, double downAt) {
            processDegraded = degradedAt;
            processDown = downAt;
            return this;
        }

        public CpuBuilder loadAveragePerCore(double degradedAt, double downAt) {
            loadDegraded = degradedAt;
            loadDown = downAt;
            return this;
        }

        public HealthCheck build() {
            return new CpuCheck(Threshold.ratioAbove("systemCpu", systemDegraded, systemDown),
                    Threshold.ratioAbove("processCpu", processDegraded, processDown),
                    Threshold.above("loadPerCore", loadDegraded, loadDown));
        }
    }

    /**
     * Heap used after GC as a fraction of the maximum (old generation) and the fraction of physical memory
     * available. Defaults: heap DEGRADED at 0.85, DOWN at 0.95; available memory DEGRADED below 0.10,
     * DOWN below 0.03.
     */
    public static final class MemoryBuilder {
        private double heapDegraded = 0.85;
        private double heapDown = 0.95;
        private double availableDegraded = 0.10;
        private double availableDown = 0.03;

        private MemoryBuilder() {
        }

        public MemoryBuilder heapAfterGc(double degradedAt, double downAt) {
            heapDegraded = degradedAt;
            heapDown = downAt;
            return this;
        }

        public MemoryBuilder systemAvailable(double degradedBelow, double downBelow) {
            availableDegraded = degradedBelow;
            availableDown = downBelow;
            return this;
        }

        public HealthCheck build() {
            return new MemoryCheck(Threshold.ratioAbove("heapAfterGc", heapDegraded, heapDown),
                    Threshold.ratioBelow("systemAvailable", availableDegraded, availableDown),
                    OshiHardware.get().getMemory());
        }
    }

    /**
     * Usable space per path. Defaults: DEGRADED below 10 % free, DOWN below 5 % free or below 10 MiB.
     * A ratio or byte limit of 0 is off.
     */
    public static final class DiskBuilder {
        private final List<Path> paths = new ArrayList<>();
        private double ratioDegraded = 0.10;
        private double ratioDown = 0.05;
        private long bytesDegraded;
        private long bytesDown = 10L * 1024 * 1024;

        private DiskBuilder(Path... paths) {
            for (Path path : paths) {
                this.paths.add(Objects.requireNonNull(path, "path"));
            }
        }

        public DiskBuilder path(Path path) {
            paths.add(Objects.requireNonNull(path, "path"));
            return this;
        }

        public DiskBuilder freeRatio(double degradedBelow, double downBelow) {
            ratioDegraded = degradedBelow;
            ratioDown = downBelow;
            return this;
        }

        public DiskBuilder freeBytes(long degradedBelow, long downBelow) {
            bytesDegraded = degradedBelow;
            bytesDown = downBelow;
            return this;
        }

        public HealthCheck build() {
            List<Path> checked = paths.isEmpty() ? List.of(Path.of("").toAbsolutePath()) : paths;
            return new DiskCheck(checked, Threshold.ratioBelow("freeRatio", ratioDegraded, ratioDown),
                    Threshold.below("freeBytes", Math.max(bytesDegraded, bytesDown), bytesDown));
        }
    }

    /**
     * Interface error and drop rates (OSHI) since the previous run, judged once at least
     * {@code minPackets} (default 1,000) went through. Defaults: DEGRADED at 1 % errors or drops per packet,
     * DOWN at 10 %. All non-loopback interfaces (up to 16) unless named.
     */
    public static final class NetworkBuilder {
        private final Set<String> interfaces = new LinkedHashSet<>();
        private double errorDegraded = 0.01;
        private double errorDown = 0.10;
        private double dropDegraded = 0.01;
        private double dropDown = 0.10;
        private long minPackets = 1_000;

        private NetworkBuilder() {
        }

        /** Only these interfaces (for example {@code eth0}); a named interface that is missing is DOWN. */
        public NetworkBuilder interfaces(String... names) {
            for (String name : names) {
                interfaces.add(Objects.requireNonNull(name, "interface"));
            }
            return this;
        }

        public NetworkBuilder errorRate(double degradedAt, double downAt) {
            errorDegraded = degradedAt;
            errorDown = downAt;
            return this;
        }

        public NetworkBuilder dropRate(double degradedAt, double downAt) {
            dropDegraded = degradedAt;
            dropDown = downAt;
            return this;
        }

        public NetworkBuilder minPackets(long minPackets) {
            if (minPackets < 0) {
                throw new IllegalArgumentException("minPackets must not be negative but was " + minPackets);
            }
            this.minPackets = minPackets;
            return this;
        }

        public HealthCheck build() {
            return new NetworkCheck(OshiHardware.get(), interfaces,
                    Threshold.ratioAbove("errorRate", errorDegraded, errorDown),
                    Threshold.ratioAbove("dropRate", dropDegraded, dropDown), minPackets);
        }
    }

    /** DNS resolution. Default timeout 2 s. */
    public static final class DnsBuilder {
        private final String host;
        private Duration timeout = Duration.ofSeconds(2);

        private DnsBuilder(String host) {
            this.host = notBlank(host, "host");
        }

        public DnsBuilder timeout(Duration timeout) {
            this.timeout = positive(timeout, "timeout");
            return this;
        }

        public HealthCheck build() {
            return new DnsCheck(host, timeout);
        }
    }

    /** HTTP GET. Defaults: connect timeout 2 s, request timeout 5 s, any 2xx expected, redirects followed. */
    public static final class HttpBuilder {
        private final URI uri;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(5);
        private final Set<Integer> expected = new LinkedHashSet<>();

        private HttpBuilder(URI uri) {
            Objects.requireNonNull(uri, "uri");
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("An HTTP check needs an absolute http(s) URI with a host");
            }
            this.uri = uri;
        }

        public HttpBuilder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        public HttpBuilder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** The statuses that mean UP, replacing the default "any 2xx". */
        public HttpBuilder expectStatus(int... statuses) {
            expected.clear();
            for (int status : statuses) {
                if (status < 100 || status > 599) {
                    throw new IllegalArgumentException("Not an HTTP status: " + status);
                }
                expected.add(status);
            }
            return this;
        }

        public HealthCheck build() {
            return new HttpCheck(uri, connectTimeout, requestTimeout, expected);
        }
    }

    /** TCP connect. Default timeout 2 s. */
    public static final class TcpBuilder {
        private final String host;
        private final int port;
        private Duration timeout = Duration.ofSeconds(2);

        private TcpBuilder(String host, int port) {
            this.host = notBlank(host, "host");
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be within 1..65535 but was " + port);
            }
            this.port = port;
        }

        public TcpBuilder timeout(Duration timeout) {
            this.timeout = positive(timeout, "timeout");
            return this;
        }

        public HealthCheck build() {
            return new TcpCheck(host, port, timeout);
        }
    }

    /**
     * GC overhead (fraction of wall time in GC since the previous run) and live threads. Defaults: GC
     * overhead DEGRADED at 0.10, DOWN at 0.50; threads DEGRADED at 5,000, DOWN off.
     */
    public static final class JvmBuilder {
        private double gcDegraded = 0.10;
        private double gcDown = 0.50;
        private double threadsDegraded = 5_000;
        private double threadsDown = Double.POSITIVE_INFINITY;

        private JvmBuilder() {
        }

        public JvmBuilder gcOverhead(double degradedAt, double downAt) {
            gcDegraded = degradedAt;
            gcDown = downAt;
            return this;
        }

        public JvmBuilder threadCount(double degradedAt, double downAt) {
            threadsDegraded = degradedAt;
            threadsDown = downAt;
            return this;
        }

        public HealthCheck build() {
            return new JvmCheck(Threshold.ratioAbove("gcOverhead", gcDegraded, gcDown),
                    Threshold.above("threads", threadsDegraded, threadsDown));
        }
    }

    private static Duration positive(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive but was " + duration);
        }
        return duration;
    }

    private static String notBlank(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }
}
