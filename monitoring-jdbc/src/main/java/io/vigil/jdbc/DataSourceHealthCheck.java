package io.vigil.jdbc;

import io.vigil.core.health.HealthCheck;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A health check for a DataSource: borrows a connection and asks {@link Connection#isValid(int)}, or runs a
 * validation query, and reports the latency in the details ({@code latencyMs}).
 *
 * <p>It never hangs past its timeout: the driver is given the timeout ({@code isValid} / query timeout), and
 * as a backstop for drivers or pools that ignore it (a connect that never answers), the probe runs on a
 * thread of this check and the caller waits on it with the timeout. While a timed-out probe is still stuck,
 * later checks answer DOWN at once instead of piling up threads.
 *
 * <pre>{@code
 * HealthCheck database = DataSourceHealthCheck.builder(dataSource).timeout(Duration.ofSeconds(2)).build();
 * }</pre>
 */
public final class DataSourceHealthCheck implements HealthCheck {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    private final DataSource dataSource;
    private final Duration timeout;
    private final String validationQuery;
    private final ThreadPoolExecutor executor;
    private final AtomicBoolean probing = new AtomicBoolean();

    private DataSourceHealthCheck(Builder builder) {
        this.dataSource = builder.dataSource;
        this.timeout = builder.timeout;
        this.validationQuery = builder.validationQuery;
        // At most one probe runs (probing flag); one spare thread covers the hand-over between two probes.
        this.executor = new ThreadPoolExecutor(0, 2, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "vigil-jdbc-health");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A check with the defaults: {@code isValid}, 3 s timeout. */
    public static DataSourceHealthCheck of(DataSource dataSource) {
        return builder(dataSource).build();
    }

    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    @Override
    public HealthResult check() {
        long start = System.nanoTime();
        if (!probing.compareAndSet(false, true)) {
            return HealthResult.builder(HealthStatus.DOWN)
                    .detail("error", "the previous check has not finished (database not answering)").build();
        }
        Future<HealthResult> probe;
        try {
            probe = executor.submit(() -> {
                try {
                    return probe();
                } finally {
                    probing.set(false);
                }
            });
        } catch (RejectedExecutionException rejected) {
            probing.set(false);
            return HealthResult.builder(HealthStatus.DOWN).error(rejected).build();
        }
        try {
            return probe.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException timedOut) {
            probe.cancel(true);
            return HealthResult.builder(HealthStatus.DOWN).detail("latencyMs", millisSince(start))
                    .detail("error", "no answer within " + timeout.toMillis() + " ms").build();
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause() == null ? failed : failed.getCause();
            return HealthResult.builder(HealthStatus.DOWN).detail("latencyMs", millisSince(start)).error(cause)
                    .build();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            probe.cancel(true);
            return HealthResult.builder(HealthStatus.DOWN).error(interrupted).build();
        }
    }

    private HealthResult probe() throws Exception {
        long start = System.nanoTime();
        int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
        boolean valid;
        try (Connection connection = dataSource.getConnection()) {
            if (validationQuery == null) {
                valid = connection.isValid(seconds);
            } else {
                try (Statement statement = connection.createStatement()) {
                    statement.setQueryTimeout(seconds);
                    statement.execute(validationQuery);
                    valid = true;
                }
            }
        }
        HealthResult.Builder result = HealthResult.builder(valid ? HealthStatus.UP : HealthStatus.DOWN)
                .detail("latencyMs", millisSince(start))
                .detail("validation", validationQuery == null ? "isValid" : "query");
        if (!valid) {
            result.detail("error", "Connection.isValid returned false");
        }
        return result.build();
    }

    private static double millisSince(long start) {
        return Math.round((System.nanoTime() - start) / 1e4) / 100.0;
    }

    @Override
    public String toString() {
        return "DataSourceHealthCheck[" + dataSource + "]";
    }

    public static final class Builder {
        private final DataSource dataSource;
        private Duration timeout = DEFAULT_TIMEOUT;
        private String validationQuery;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** How long a check may take before it answers DOWN; default 3 s. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Runs this query instead of {@code Connection.isValid} (for drivers whose isValid is unreliable). */
        public Builder validationQuery(String query) {
            if (query == null || query.isBlank()) {
                throw new IllegalArgumentException("validationQuery must not be blank");
            }
            this.validationQuery = query;
            return this;
        }

        public DataSourceHealthCheck build() {
            return new DataSourceHealthCheck(this);
        }
    }
}
