package io.vigil.health;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.core.health.HealthCheck;
import io.vigil.core.health.HealthJson;
import io.vigil.core.health.HealthReport;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthSource;
import io.vigil.core.health.HealthStatus;
import io.vigil.core.internal.InternalErrors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The health runtime: runs registered {@link HealthCheck}s in the background on its own small pool of daemon
 * threads and answers probes from their latest results, so a probe never waits on a dependency.
 *
 * <pre>{@code
 * HealthRegistry health = HealthRegistry.builder(meterRegistry)
 *     .register("db", DataSourceHealthCheck.of(dataSource), CheckOptions.builder().groups("readiness").build())
 *     .register("deadlocks", HealthChecks.deadlocks(), CheckOptions.builder().groups("liveness").build())
 *     .build();
 * health.start();
 * HealthReport readiness = health.group("readiness").orElseThrow();
 * }</pre>
 *
 * <p>Aggregation takes the most severe status ({@code DOWN > OUT_OF_SERVICE > DEGRADED > UP > UNKNOWN});
 * a non-critical check that is DOWN or OUT_OF_SERVICE counts as DEGRADED. A group with no checks is UP.
 * Meters: {@code health.status{check,group}} (1 when UP) and {@code health.check.duration{check}}.
 */
public final class HealthRegistry implements HealthSource, AutoCloseable {

    /** Every thread the registry starts is named with this prefix. */
    public static final String THREAD_PREFIX = "vigil-health";

    /** The JSON shape {@link #json(HealthReport)} renders. */
    public enum JsonFormat {
        /** Spring Boot Actuator: {@code {"status":"UP","components":{"db":{"status":"UP","details":{…}}}}}. */
        ACTUATOR,
        /** MicroProfile Health: {@code {"status":"UP","checks":[{"name":"db","status":"UP","data":{…}}]}}. */
        MICROPROFILE
    }

    private static final Set<String> PROBE_GROUPS = Set.of(LIVENESS, READINESS, STARTUP);

    private final MeterRegistry meterRegistry;
    private final Map<String, RegisteredCheck> checks = new ConcurrentHashMap<>();
    private final Object lifecycleLock = new Object();
    private final ListenerDispatcher listeners;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ThreadPoolExecutor workers;
    private final JsonFormat jsonFormat;
    private final boolean showDetails;
    private boolean started;
    private boolean closed;

    private HealthRegistry(Builder builder) {
        this.meterRegistry = builder.meterRegistry;
        this.jsonFormat = builder.jsonFormat;
        this.showDetails = builder.showDetails;
        this.listeners = new ListenerDispatcher(InternalErrors.forComponent(meterRegistry, "health"));
        builder.listeners.forEach(listeners::add);
        this.scheduler = new ScheduledThreadPoolExecutor(1, new DaemonThreadFactory(THREAD_PREFIX + "-scheduler"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        // The queue holds at most one entry per check: a check still queued or running is not submitted again.
        this.workers = new ThreadPoolExecutor(builder.threads, builder.threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new DaemonThreadFactory(THREAD_PREFIX + "-check"));
        this.workers.allowCoreThreadTimeOut(true);
        builder.registrations.forEach((name, registration) -> register(name, registration.check,
                registration.options));
    }

    public static Builder builder(MeterRegistry meterRegistry) {
        return new Builder(meterRegistry);
    }

    /** Registers a check with the {@linkplain CheckOptions#defaults() default options}. */
    public HealthRegistry register(String name, HealthCheck check) {
        return register(name, check, CheckOptions.defaults());
    }

    /**
     * Registers a check; when the registry is already started it runs right away.
     *
     * @throws IllegalArgumentException when the name is blank or already registered
     */
    public HealthRegistry register(String name, HealthCheck check, CheckOptions options) {
        validateName(name);
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(options, "options");
        synchronized (lifecycleLock) {
            if (closed) {
                throw new IllegalStateException("HealthRegistry is closed");
            }
            if (checks.containsKey(name)) {
                throw new IllegalArgumentException("A check named '" + name + "' is already registered");
            }
            RegisteredCheck registered = new RegisteredCheck(name, check, options, listeners, meterRegistry);
            checks.put(name, registered);
            if (started) {
                registered.schedule(scheduler, workers);
            }
        }
        return this;
    }

    /** Stops running the check and removes it and its meters; returns whether it was registered. */
    public boolean unregister(String name) {
        RegisteredCheck removed;
        synchronized (lifecycleLock) {
            removed = checks.remove(name);
        }
        if (removed == null) {
            return false;
        }
        removed.unschedule();
        for (Meter meter : removed.meters()) {
            meterRegistry.remove(meter);
        }
        return true;
    }

    /** Listeners may be added at any time; they see transitions from then on. */
    public HealthRegistry addListener(HealthStatusListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Starts running the checks (each at once, then at its interval). Idempotent. */
    public HealthRegistry start() {
        synchronized (lifecycleLock) {
            if (closed) {
                throw new IllegalStateException("HealthRegistry is closed");
            }
            if (!started) {
                started = true;
                checks.values().forEach(check -> check.schedule(scheduler, workers));
            }
        }
        return this;
    }

    /**
     * Stops the scheduler, interrupts running checks and removes the registry's meters (a closed registry
     * must not keep reporting its last statuses); pending transitions are still delivered.
     */
    @Override
    public void close() {
        synchronized (lifecycleLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        scheduler.shutdownNow();
        workers.shutdownNow();
        listeners.close();
        for (RegisteredCheck check : checks.values()) {
            check.meters().forEach(meterRegistry::remove);
        }
    }

    @Override
    public HealthReport health() {
        return aggregate(new ArrayList<>(checks.values()));
    }

    /** The liveness, readiness and startup groups always exist (UP when empty); a custom one once it has a check. */
    @Override
    public Optional<HealthReport> group(String group) {
        List<RegisteredCheck> members = new ArrayList<>();
        for (RegisteredCheck check : checks.values()) {
            if (check.options().groups().contains(group)) {
                members.add(check);
            }
        }
        if (members.isEmpty() && !PROBE_GROUPS.contains(group)) {
            return Optional.empty();
        }
        return Optional.of(aggregate(members));
    }

    @Override
    public Optional<HealthResult> check(String name) {
        RegisteredCheck check = checks.get(name);
        return check == null ? Optional.empty() : Optional.of(check.latest());
    }

    /** Renders a report in the configured shape ({@link Builder#jsonFormat}, {@link Builder#showDetails}). */
    public String json(HealthReport report) {
        return jsonFormat == JsonFormat.MICROPROFILE ? HealthJson.microProfile(report)
                : HealthJson.actuator(report, showDetails);
    }

    private static HealthReport aggregate(List<RegisteredCheck> members) {
        if (members.isEmpty()) {
            return new HealthReport(HealthStatus.UP, Map.of());
        }
        members.sort((a, b) -> a.name().compareTo(b.name()));
        Map<String, HealthResult> components = new LinkedHashMap<>();
        HealthStatus status = HealthStatus.UNKNOWN;
        for (RegisteredCheck check : members) {
            components.put(check.name(), check.latest());
            status = status.worst(check.contribution());
        }
        return new HealthReport(status, components);
    }

    private static void validateName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("check name must not be blank");
        }
    }

    public static final class Builder {
        private final MeterRegistry meterRegistry;
        private final Map<String, Registration> registrations = new LinkedHashMap<>();
        private final List<HealthStatusListener> listeners = new ArrayList<>();
        private int threads = 2;
        private JsonFormat jsonFormat = JsonFormat.ACTUATOR;
        private boolean showDetails = true;

        private Builder(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
        }

        public Builder register(String name, HealthCheck check) {
            return register(name, check, CheckOptions.defaults());
        }

        public Builder register(String name, HealthCheck check, CheckOptions options) {
            validateName(name);
            if (registrations.containsKey(name)) {
                throw new IllegalArgumentException("A check named '" + name + "' is already registered");
            }
            registrations.put(name, new Registration(Objects.requireNonNull(check, "check"),
                    Objects.requireNonNull(options, "options")));
            return this;
        }

        public Builder listener(HealthStatusListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Threads that run checks (1 to 32, default 2); idle ones exit after 30 s. */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 32) {
                throw new IllegalArgumentException("threads must be between 1 and 32 but was " + threads);
            }
            this.threads = threads;
            return this;
        }

        public Builder jsonFormat(JsonFormat jsonFormat) {
            this.jsonFormat = Objects.requireNonNull(jsonFormat, "jsonFormat");
            return this;
        }

        /** Whether Actuator JSON includes each component and its details (default true). */
        public Builder showDetails(boolean showDetails) {
            this.showDetails = showDetails;
            return this;
        }

        public HealthRegistry build() {
            return new HealthRegistry(this);
        }
    }

    private static final class Registration {
        final HealthCheck check;
        final CheckOptions options;

        Registration(HealthCheck check, CheckOptions options) {
            this.check = check;
            this.options = options;
        }
    }
}
