package io.vigil.jdbc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vigil.core.cardinality.CardinalityGuard;
import io.vigil.core.cardinality.TagLimiter;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.internal.InternalErrors;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The statement-level meters of one DataSource, for one {@code db.system}: operation timers by verb and
 * outcome, batch sizes, transactions, returned rows. Meters are created on first use and then read from
 * arrays indexed by {@link Operations}, so recording a statement allocates nothing. Every method swallows and
 * counts its own failures.
 */
final class OperationMeters {

    /** Buckets of the connection wait and use timers: a fixed, small set instead of Micrometer's ~70. */
    static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)
    };
    static final String NO_ERROR = "none";

    private final MeterRegistry registry;
    private final String system;
    private final String namespace;
    private final InternalErrors errors;
    private final TagLimiter errorTypes;
    private final AtomicReferenceArray<Timer> successes = new AtomicReferenceArray<>(Operations.COUNT);
    private final List<ConcurrentHashMap<String, Timer>> failures = new ArrayList<>(Operations.COUNT);
    private final AtomicReferenceArray<DistributionSummary> rows = new AtomicReferenceArray<>(Operations.COUNT);
    private volatile DistributionSummary batchSizes;
    private volatile Counter commits;
    private volatile Counter rollbacks;

    OperationMeters(MeterRegistry registry, String system, String namespace, InternalErrors errors) {
        this.registry = registry;
        this.system = system;
        this.namespace = namespace;
        this.errors = errors;
        this.errorTypes = CardinalityGuard.create(registry)
                .limiter(MetricCatalog.DB_CLIENT_OPERATION_DURATION, "error.type");
        for (int i = 0; i < Operations.COUNT; i++) {
            failures.add(new ConcurrentHashMap<>());
        }
    }

    String system() {
        return system;
    }

    void success(int operation, long nanos) {
        try {
            Timer timer = successes.get(operation);
            if (timer == null) {
                timer = timer(operation, "success", NO_ERROR);
                successes.set(operation, timer);
            }
            timer.record(nanos, TimeUnit.NANOSECONDS);
        } catch (Throwable error) {
            errors.record(error);
        }
    }

    void failure(int operation, long nanos, Throwable failure) {
        try {
            String errorType = errorTypes.limit(errorType(failure));
            Timer timer = failures.get(operation).computeIfAbsent(errorType,
                    type -> timer(operation, "error", type));
            timer.record(nanos, TimeUnit.NANOSECONDS);
        } catch (Throwable error) {
            errors.record(error);
        }
    }

    void rows(int operation, long count) {
        try {
            DistributionSummary summary = rows.get(operation);
            if (summary == null) {
                summary = MetricCatalog.DB_CLIENT_RESPONSE_RETURNED_ROWS.summary(registry,
                        Tags.of("db.namespace", namespace, "db.operation", Operations.tag(operation)));
                rows.set(operation, summary);
            }
            summary.record(count);
        } catch (Throwable error) {
            errors.record(error);
        }
    }

    void batch(int size) {
        try {
            DistributionSummary summary = batchSizes;
            if (summary == null) {
                summary = MetricCatalog.DB_CLIENT_OPERATION_BATCH_SIZE.summary(registry,
                        Tags.of("db.system", system, "db.namespace", namespace));
                batchSizes = summary;
            }
            summary.record(size);
        } catch (Throwable error) {
            errors.record(error);
        }
    }

    void commit() {
        try {
            Counter counter = commits;
            if (counter == null) {
                counter = transactions("commit");
                commits = counter;
            }
            counter.increment();
        } catch (Throwable error) {
            errors.record(error);
        }
    }

    void rollback() {
        try {
            Counter counter = rollbacks;
            if (counter == null) {
                counter = transactions("rollback");
                rollbacks = counter;
            }
            counter.increment();
        } catch (Throwable error) {
            errors.record(error);
        }
    }

    /**
     * The {@code error.type} tag: the SQLState class (its first two characters, which name the kind of error
     * across vendors: 23 integrity constraint, 42 syntax or access rule, 08 connection…), or the exception's
     * simple class name when there is no well-formed SQLState.
     */
    static String errorType(Throwable failure) {
        if (failure instanceof SQLException) {
            String state = ((SQLException) failure).getSQLState();
            if (state != null && state.length() >= 2 && isStateChar(state.charAt(0)) && isStateChar(state.charAt(1))) {
                return state.substring(0, 2).toUpperCase(java.util.Locale.ROOT);
            }
        }
        return failure.getClass().getSimpleName();
    }

    private static boolean isStateChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private Timer timer(int operation, String outcome, String errorType) {
        return MetricCatalog.DB_CLIENT_OPERATION_DURATION.timer(registry,
                Tags.of("db.system", system, "db.namespace", namespace, "db.operation", Operations.tag(operation),
                        "outcome", outcome, "error.type", errorType)); // buckets: fixed by the catalog
    }

    private Counter transactions(String outcome) {
        return MetricCatalog.DB_CLIENT_TRANSACTIONS.counter(registry,
                Tags.of("db.namespace", namespace, "outcome", outcome));
    }
}
