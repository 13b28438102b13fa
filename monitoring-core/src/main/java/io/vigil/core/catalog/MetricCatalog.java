package io.vigil.core.catalog;

import java.lang.reflect.Field;
import java.time.Duration;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.vigil.core.catalog.MeterType.COUNTER;
import static io.vigil.core.catalog.MeterType.DISTRIBUTION_SUMMARY;
import static io.vigil.core.catalog.MeterType.GAUGE;
import static io.vigil.core.catalog.MeterType.LONG_TASK_TIMER;
import static io.vigil.core.catalog.MeterType.TIMER;

/**
 * Every meter Vigil registers, declared once.
 *
 * <p>Names and tags follow the de-facto standards so existing dashboards work unchanged: Spring Boot's
 * {@code http.server.requests}, OpenTelemetry's semantic conventions for database, cache and system
 * metrics. Micrometer's Prometheus naming turns {@code http.server.requests} into
 * {@code http_server_requests_seconds_count} and so on.
 */
public final class MetricCatalog {

    private static final String SECONDS = "seconds";
    private static final String BYTES = "bytes";

    /**
     * Buckets of {@code db.client.operation.duration}, fixed here because JDBC and Redis record into the same
     * metric family: OpenTelemetry's advised boundaries for it, plus 250 µs for in-memory caches.
     */
    private static final Duration[] DB_OPERATION_BUCKETS = {
        Duration.ofNanos(250_000), Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(5), Duration.ofSeconds(10)
    };

    /**
     * The default {@code le} boundaries of Vigil's latency histograms ({@code http.server.requests},
     * {@code app.operation.duration}): Prometheus' own default buckets (client_golang's {@code DefBuckets}), 5 ms
     * to 10 s in 1-2.5-5 steps — 11 boundaries plus {@code +Inf}, enough for p95/p99 alerting at a threshold
     * placed on a boundary, instead of the ~70 of Micrometer's percentile histogram. One definition, so request
     * and operation latencies share the same buckets and the same {@code histogram_quantile} resolution.
     */
    public static final List<Duration> LATENCY_BUCKETS = List.of(
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10));

    // HTTP (RED)
    public static final MeterDefinition HTTP_SERVER_REQUESTS = new MeterDefinition("http.server.requests", TIMER,
            SECONDS, "Duration of HTTP server requests", "method", "uri", "status", "outcome", "exception");
    public static final MeterDefinition HTTP_SERVER_REQUESTS_ACTIVE = new MeterDefinition(
            "http.server.requests.active", LONG_TASK_TIMER, SECONDS, "HTTP server requests in flight",
            "method", "uri");
    public static final MeterDefinition HTTP_SERVER_REQUEST_SIZE = new MeterDefinition("http.server.request.size",
            DISTRIBUTION_SUMMARY, BYTES, "Size of HTTP request bodies", "method", "uri");
    public static final MeterDefinition HTTP_SERVER_RESPONSE_SIZE = new MeterDefinition(
            "http.server.response.size", DISTRIBUTION_SUMMARY, BYTES, "Size of HTTP response bodies",
            "method", "uri");

    // Security
    public static final MeterDefinition HTTP_SERVER_AUTH_FAILURES = new MeterDefinition("http.server.auth.failures",
            COUNTER, null, "HTTP requests answered 401 or 403", "uri", "status");
    public static final MeterDefinition HTTP_SERVER_RATE_LIMITED = new MeterDefinition("http.server.rate.limited",
            COUNTER, null, "HTTP requests answered 429", "uri");
    public static final MeterDefinition SECURITY_LOGIN_ATTEMPTS = new MeterDefinition("security.login.attempts",
            COUNTER, null, "Login attempts reported by the application", "result");

    // Business
    public static final MeterDefinition BUSINESS_EVENTS = new MeterDefinition("business.events", COUNTER, null,
            "Business events reported by the application", "event");
    public static final MeterDefinition USERS_ACTIVE = new MeterDefinition("users.active", GAUGE, null,
            "Distinct principals seen in the sliding window (estimate)", "window");

    // Application operations (io.vigil.core.operation.Operations)
    public static final MeterDefinition APP_OPERATION_DURATION = new MeterDefinition("app.operation.duration", TIMER,
            SECONDS, "Duration of application operations (scopes, decorated calls, executor tasks)",
            "operation", "outcome", "exception");
    public static final MeterDefinition APP_OPERATION_QUEUE_WAIT = new MeterDefinition("app.operation.queue.wait",
            TIMER, SECONDS, "Time executor tasks waited between submission (or their due time) and their start",
            "operation");
    public static final MeterDefinition APP_OPERATIONS_ACTIVE = new MeterDefinition("app.operations.active", GAUGE,
            null, "Operations started and not yet finished", "operation");

    // Database
    public static final MeterDefinition DB_CLIENT_OPERATION_DURATION = new MeterDefinition(
            "db.client.operation.duration", TIMER, SECONDS, "Duration of database client operations",
            DB_OPERATION_BUCKETS, "db.system", "db.namespace", "db.operation", "outcome", "error.type");
    public static final MeterDefinition DB_CLIENT_OPERATION_BATCH_SIZE = new MeterDefinition(
            "db.client.operation.batch.size", DISTRIBUTION_SUMMARY, null,
            "Statements in each executed batch", "db.system", "db.namespace");
    public static final MeterDefinition DB_CLIENT_CONNECTION_WAIT_TIME = new MeterDefinition(
            "db.client.connection.wait_time", TIMER, SECONDS, "Time spent obtaining a connection", "pool");
    public static final MeterDefinition DB_CLIENT_CONNECTION_USE_TIME = new MeterDefinition(
            "db.client.connection.use_time", TIMER, SECONDS,
            "Time between borrowing a connection and returning it", "pool");
    public static final MeterDefinition DB_CLIENT_CONNECTION_COUNT = new MeterDefinition(
            "db.client.connection.count", GAUGE, null, "Connections by state", "pool", "state");
    public static final MeterDefinition DB_CLIENT_CONNECTION_PENDING_REQUESTS = new MeterDefinition(
            "db.client.connection.pending_requests", GAUGE, null, "Requests waiting for a connection", "pool");
    public static final MeterDefinition DB_CLIENT_CONNECTION_MAX = new MeterDefinition(
            "db.client.connection.max", GAUGE, null, "Largest number of open connections allowed", "pool");
    public static final MeterDefinition DB_CLIENT_CONNECTION_TIMEOUTS = new MeterDefinition(
            "db.client.connection.timeouts", COUNTER, null, "Connection requests that timed out", "pool");
    public static final MeterDefinition DB_CLIENT_CONNECTION_LEAKS = new MeterDefinition(
            "db.client.connection.leaks", COUNTER, null, "Connections held past the leak threshold", "pool");
    public static final MeterDefinition DB_CLIENT_TRANSACTIONS = new MeterDefinition("db.client.transactions",
            COUNTER, null, "Finished transactions", "db.namespace", "outcome");
    public static final MeterDefinition DB_CLIENT_RESPONSE_RETURNED_ROWS = new MeterDefinition(
            "db.client.response.returned_rows", DISTRIBUTION_SUMMARY, "rows", "Rows read from each result",
            "db.namespace", "db.operation");

    // Cache
    public static final MeterDefinition CACHE_GETS = new MeterDefinition("cache.gets", COUNTER, null,
            "Cache reads by result", "cache", "result");
    public static final MeterDefinition CACHE_PUTS = new MeterDefinition("cache.puts", COUNTER, null,
            "Cache writes", "cache");
    public static final MeterDefinition CACHE_EVICTIONS = new MeterDefinition("cache.evictions", COUNTER, null,
            "Entries evicted by the cache", "cache");
    public static final MeterDefinition REDIS_MEMORY_USED = new MeterDefinition("redis.memory.used", GAUGE, BYTES,
            "Memory used by the Redis server (INFO used_memory)", "server");
    public static final MeterDefinition REDIS_CLIENTS_CONNECTED = new MeterDefinition("redis.clients.connected",
            GAUGE, null, "Clients connected to the Redis server (INFO connected_clients)", "server");
    public static final MeterDefinition REDIS_KEYSPACE_LOOKUPS = new MeterDefinition("redis.keyspace.lookups",
            COUNTER, null, "Server-side key lookups by result (INFO keyspace_hits/misses)", "server", "result");
    public static final MeterDefinition REDIS_CONNECTION_EVENTS = new MeterDefinition("redis.connection.events",
            COUNTER, null, "Redis client connection events", "event");

    // System (USE)
    public static final MeterDefinition SYSTEM_CPU_UTILIZATION = new MeterDefinition("system.cpu.utilization",
            GAUGE, null, "Fraction of CPU time by state, 0 to 1", "state");
    public static final MeterDefinition SYSTEM_MEMORY_USAGE = new MeterDefinition("system.memory.usage", GAUGE,
            BYTES, "Physical memory by state", "state");
    public static final MeterDefinition SYSTEM_MEMORY_UTILIZATION = new MeterDefinition(
            "system.memory.utilization", GAUGE, null, "Fraction of physical memory by state, 0 to 1", "state");
    public static final MeterDefinition SYSTEM_FILESYSTEM_USAGE = new MeterDefinition("system.filesystem.usage",
            GAUGE, BYTES, "File system space by state", "device", "mountpoint", "state");
    public static final MeterDefinition SYSTEM_DISK_IO = new MeterDefinition("system.disk.io", COUNTER, BYTES,
            "Bytes read from and written to disks", "device", "direction");
    public static final MeterDefinition SYSTEM_NETWORK_IO = new MeterDefinition("system.network.io", COUNTER, BYTES,
            "Bytes received and transmitted by network interfaces", "device", "direction");
    public static final MeterDefinition SYSTEM_NETWORK_ERRORS = new MeterDefinition("system.network.errors",
            COUNTER, null, "Network interface errors", "device", "direction");
    public static final MeterDefinition SYSTEM_NETWORK_DROPPED = new MeterDefinition("system.network.dropped",
            COUNTER, null, "Packets dropped by network interfaces", "device", "direction");

    // Health
    public static final MeterDefinition HEALTH_STATUS = new MeterDefinition("health.status", GAUGE, null,
            "1 when the check is UP, 0 otherwise", "check", "group");
    public static final MeterDefinition HEALTH_CHECK_DURATION = new MeterDefinition("health.check.duration", TIMER,
            SECONDS, "Duration of health check runs", "check");

    // Alerts
    public static final MeterDefinition ALERTS_ACTIVE = new MeterDefinition("alerts.active", GAUGE, null,
            "Alerts currently firing", "severity");
    public static final MeterDefinition ALERTS_NOTIFICATIONS = new MeterDefinition("alerts.notifications", COUNTER,
            null, "Notifications sent by channel and outcome", "channel", "outcome");
    public static final MeterDefinition ALERTS_NOTIFICATION_DURATION = new MeterDefinition(
            "alerts.notification.duration", TIMER, SECONDS, "Duration of notification deliveries", "channel");
    public static final MeterDefinition ALERTS_ESCALATIONS = new MeterDefinition("alerts.escalations", COUNTER, null,
            "Alert escalations by level", "level");

    // Vigil itself
    public static final MeterDefinition VIGIL_CARDINALITY_OVERFLOW = new MeterDefinition(
            "vigil.cardinality.overflow", COUNTER, null,
            "Tag values replaced by OTHER because the tag reached its cap", "meter", "tag");
    public static final MeterDefinition VIGIL_INTERNAL_ERRORS = new MeterDefinition("vigil.internal.errors",
            COUNTER, null, "Errors inside Vigil's own recording, swallowed and counted", "component");

    private static final Map<String, MeterDefinition> BY_NAME = index();

    private MetricCatalog() {
    }

    /** Every catalog entry, in declaration order. */
    public static List<MeterDefinition> all() {
        return new ArrayList<>(BY_NAME.values());
    }

    public static Optional<MeterDefinition> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    private static Map<String, MeterDefinition> index() {
        Map<String, MeterDefinition> byName = new LinkedHashMap<>();
        for (Field field : MetricCatalog.class.getDeclaredFields()) {
            if (field.getType() == MeterDefinition.class && Modifier.isStatic(field.getModifiers())) {
                try {
                    MeterDefinition definition = (MeterDefinition) field.get(null);
                    if (byName.put(definition.name(), definition) != null) {
                        throw new IllegalStateException("Meter declared twice: " + definition.name());
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Collections.unmodifiableMap(byName);
    }
}
