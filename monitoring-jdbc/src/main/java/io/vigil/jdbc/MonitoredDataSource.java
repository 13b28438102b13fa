package io.vigil.jdbc;

import io.micrometer.core.instrument.MeterRegistry;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * A {@link DataSource} that measures what goes through it: query latency by operation and outcome, errors by
 * SQLState class, batches, transactions, rows read, connection wait and use time, pool saturation, leaks.
 *
 * <pre>{@code
 * DataSource dataSource = MonitoredDataSource.wrap(hikariDataSource, registry);
 * // or
 * MonitoredDataSource dataSource = MonitoredDataSource.builder(hikariDataSource, registry)
 *         .name("orders")
 *         .slowQueryThreshold(Duration.ofMillis(500))
 *         .leakDetectionThreshold(Duration.ofSeconds(30))
 *         .build();
 * }</pre>
 *
 * <p>Connections, statements and result sets handed out are thin hand-written delegates; {@code unwrap} reaches
 * the driver's objects. Nothing Vigil records can throw into the application: the driver's own exceptions
 * reach the caller unchanged (the same instance), Vigil's failures are counted in {@code vigil.internal.errors}.
 *
 * <p>{@link #close()} stops Vigil's leak-detection thread and closes the wrapped DataSource when it is
 * {@link AutoCloseable} (a pool), so the wrapper can replace the pool in a try-with-resources or a shutdown hook.
 */
public final class MonitoredDataSource implements DataSource, AutoCloseable {

    /** What the slow-query log writes about a statement. */
    public enum SqlLogging {
        /** No slow-query log at all. */
        OFF,
        /** The operation verb (SELECT, INSERT, …), duration and rows, but no SQL text. */
        OPERATION_ONLY,
        /** The SQL text with every literal (strings, numbers) replaced by {@code ?}; the default. */
        SANITIZED
    }

    private final DataSource delegate;
    private final DataSourceTelemetry telemetry;

    private MonitoredDataSource(DataSource delegate, DataSourceTelemetry telemetry) {
        this.delegate = delegate;
        this.telemetry = telemetry;
    }

    /** Wraps {@code dataSource} with the defaults (see {@link Builder}). */
    public static MonitoredDataSource wrap(DataSource dataSource, MeterRegistry registry) {
        return builder(dataSource, registry).build();
    }

    public static Builder builder(DataSource dataSource, MeterRegistry registry) {
        return new Builder(dataSource, registry);
    }

    /** The {@code pool} / {@code db.namespace} tag value of this DataSource's meters. */
    public String name() {
        return telemetry.name();
    }

    @Override
    public Connection getConnection() throws SQLException {
        long start = System.nanoTime();
        telemetry.acquireStarted();
        Connection connection;
        try {
            connection = delegate.getConnection();
        } catch (Throwable failure) {
            telemetry.acquireFailed(start, failure);
            throw failure;
        }
        return telemetry.acquired(connection, start);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        long start = System.nanoTime();
        telemetry.acquireStarted();
        Connection connection;
        try {
            connection = delegate.getConnection(username, password);
        } catch (Throwable failure) {
            telemetry.acquireFailed(start, failure);
            throw failure;
        }
        return telemetry.acquired(connection, start);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return Unwrapping.unwrap(delegate, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || Unwrapping.isWrapperFor(delegate, iface);
    }

    /** Stops leak detection and closes the wrapped DataSource if it is closeable (a pool). */
    @Override
    public void close() throws SQLException {
        telemetry.close();
        if (delegate instanceof AutoCloseable) {
            try {
                ((AutoCloseable) delegate).close();
            } catch (SQLException | RuntimeException failure) {
                throw failure;
            } catch (Exception failure) {
                if (failure instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new SQLException("Closing " + delegate + " failed", failure);
            }
        }
    }

    @Override
    public String toString() {
        return "MonitoredDataSource[" + telemetry.name() + " -> " + delegate + "]";
    }

    /** Immutable configuration; {@link #build()} registers the meters. */
    public static final class Builder {
        static final Duration DEFAULT_SLOW_QUERY_THRESHOLD = Duration.ofSeconds(1);

        private final DataSource dataSource;
        private final MeterRegistry registry;
        private String name;
        private Duration slowQueryThreshold = DEFAULT_SLOW_QUERY_THRESHOLD;
        private Duration leakDetectionThreshold;
        private SqlLogging sqlLogging = SqlLogging.SANITIZED;

        private Builder(DataSource dataSource, MeterRegistry registry) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.registry = Objects.requireNonNull(registry, "registry");
            if (dataSource instanceof MonitoredDataSource) {
                throw new IllegalArgumentException("DataSource is already monitored: " + dataSource);
            }
        }

        /**
         * The {@code db.namespace} and {@code pool} tag value. Defaults to the HikariCP pool name for a
         * HikariDataSource, else {@code default}. Give each monitored DataSource of one registry its own name.
         */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** Statements at least this slow are logged (WARN, at most one line a second). Default 1 s. */
        public Builder slowQueryThreshold(Duration threshold) {
            this.slowQueryThreshold = positive("slowQueryThreshold", threshold);
            return this;
        }

        /**
         * Enables leak detection: a connection held longer than {@code threshold} is counted in
         * {@code db.client.connection.leaks} and logged once with the stack trace of where it was acquired.
         * Off by default, because capturing that stack trace costs on every {@code getConnection()}.
         */
        public Builder leakDetectionThreshold(Duration threshold) {
            this.leakDetectionThreshold = positive("leakDetectionThreshold", threshold);
            return this;
        }

        /** What the slow-query log writes; default {@link SqlLogging#SANITIZED}. */
        public Builder sqlLogging(SqlLogging mode) {
            this.sqlLogging = Objects.requireNonNull(mode, "sqlLogging");
            return this;
        }

        public MonitoredDataSource build() {
            String resolvedName = name != null ? name : PoolGauges.defaultName(dataSource);
            DataSourceTelemetry telemetry = new DataSourceTelemetry(registry, dataSource, resolvedName,
                    slowQueryThreshold, leakDetectionThreshold, sqlLogging);
            return new MonitoredDataSource(dataSource, telemetry);
        }

        private static Duration positive(String what, Duration value) {
            Objects.requireNonNull(value, what);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(what + " must be positive, was " + value);
            }
            return value;
        }
    }
}
