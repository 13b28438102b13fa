package io.vigil.jdbc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.internal.InternalErrors;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything one {@link MonitoredDataSource} records about connections: wait and use time, pool gauges,
 * timeouts, leaks; and the per-database {@link OperationMeters} its statements record into.
 */
final class DataSourceTelemetry {

    private final MeterRegistry registry;
    private final String name;
    private final InternalErrors errors;
    private final Timer waitTime;
    private final Timer useTime;
    private final Counter timeouts;
    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private final LeakDetector leakDetector;
    private final SlowQueryLog slowQueries;
    private final OperationCache operations = new OperationCache();
    private volatile OperationMeters operationMeters;

    DataSourceTelemetry(MeterRegistry registry, DataSource dataSource, String name, Duration slowQueryThreshold,
            Duration leakDetectionThreshold, MonitoredDataSource.SqlLogging sqlLogging) {
        this.registry = registry;
        this.name = name;
        this.errors = InternalErrors.forComponent(registry, "jdbc");
        Tags pool = Tags.of("pool", name);
        this.waitTime = MetricCatalog.DB_CLIENT_CONNECTION_WAIT_TIME.timer(registry, pool,
                builder -> builder.serviceLevelObjectives(OperationMeters.BUCKETS));
        this.useTime = MetricCatalog.DB_CLIENT_CONNECTION_USE_TIME.timer(registry, pool,
                builder -> builder.serviceLevelObjectives(OperationMeters.BUCKETS));
        this.timeouts = MetricCatalog.DB_CLIENT_CONNECTION_TIMEOUTS.counter(registry, pool);
        PoolGauges.register(registry, pool, dataSource, this);
        this.leakDetector = leakDetectionThreshold == null ? null
                : new LeakDetector(name, leakDetectionThreshold,
                        MetricCatalog.DB_CLIENT_CONNECTION_LEAKS.counter(registry, pool), errors);
        this.slowQueries = new SlowQueryLog(name, slowQueryThreshold, sqlLogging);
    }

    String name() {
        return name;
    }

    InternalErrors errors() {
        return errors;
    }

    SlowQueryLog slowQueries() {
        return slowQueries;
    }

    OperationCache operations() {
        return operations;
    }

    /** Connections handed out and not yet closed (Vigil's own count, for DataSources that are not a known pool). */
    int inUse() {
        return inUse.get();
    }

    /** Threads inside {@code getConnection()} right now. */
    int pending() {
        return pending.get();
    }

    void acquireStarted() {
        pending.incrementAndGet();
    }

    void acquireFailed(long start, Throwable failure) {
        pending.decrementAndGet();
        try {
            waitTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (failure instanceof SQLTransientConnectionException || failure instanceof SQLTimeoutException) {
                timeouts.increment();
            }
        } catch (Throwable error) {
            errors.record(error);
        }
    }

    /** Records the wait and returns the wrapper, or the raw connection if Vigil itself fails. */
    Connection acquired(Connection connection, long start) {
        long now = System.nanoTime();
        pending.decrementAndGet();
        try {
            waitTime.record(now - start, TimeUnit.NANOSECONDS);
            OperationMeters meters = operationMeters(connection);
            Throwable acquiredAt = leakDetector == null ? null
                    : new Throwable("Connection acquired here (pool " + name + ")");
            MonitoredConnection monitored = new MonitoredConnection(connection, this, meters, now, acquiredAt);
            inUse.incrementAndGet();
            if (leakDetector != null) {
                leakDetector.opened(monitored);
            }
            return monitored;
        } catch (Throwable error) {
            errors.record(error);
            return connection;
        }
    }

    void released(MonitoredConnection connection) {
        try {
            inUse.decrementAndGet();
            useTime.record(System.nanoTime() - connection.acquiredAtNanos(), TimeUnit.NANOSECONDS);
            if (leakDetector != null) {
                leakDetector.closed(connection);
            }
        } catch (Throwable error) {
            errors.record(error);
        }
    }

    /** The operation meters, created on the first connection, when {@code db.system} can be read. */
    private OperationMeters operationMeters(Connection connection) {
        OperationMeters meters = operationMeters;
        if (meters == null) {
            synchronized (this) {
                meters = operationMeters;
                if (meters == null) {
                    meters = new OperationMeters(registry, DbSystem.of(connection, errors), name, errors);
                    operationMeters = meters;
                }
            }
        }
        return meters;
    }

    void close() {
        if (leakDetector != null) {
            leakDetector.close();
        }
    }
}
