package io.vigil.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vigil.core.catalog.MetricCatalog;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.function.ToIntFunction;

/**
 * Pool gauges read from HikariCP's {@link HikariPoolMXBean}. Only {@link PoolGauges} refers to this class, and
 * only after checking that HikariCP is on the class path.
 */
final class HikariPool {

    private final HikariDataSource hikari;

    private HikariPool(HikariDataSource hikari) {
        this.hikari = hikari;
    }

    static String poolName(DataSource dataSource) {
        HikariDataSource hikari = hikari(dataSource);
        return hikari == null ? null : hikari.getPoolName();
    }

    /** Registers the gauges if {@code dataSource} is (or wraps) a HikariDataSource; false otherwise. */
    static boolean register(MeterRegistry registry, Tags pool, DataSource dataSource) {
        HikariDataSource hikari = hikari(dataSource);
        if (hikari == null) {
            return false;
        }
        HikariPool gauges = new HikariPool(hikari);
        MetricCatalog.DB_CLIENT_CONNECTION_COUNT.gauge(registry, pool.and("state", "idle"), gauges,
                p -> p.read(HikariPoolMXBean::getIdleConnections));
        MetricCatalog.DB_CLIENT_CONNECTION_COUNT.gauge(registry, pool.and("state", "used"), gauges,
                p -> p.read(HikariPoolMXBean::getActiveConnections));
        MetricCatalog.DB_CLIENT_CONNECTION_PENDING_REQUESTS.gauge(registry, pool, gauges,
                p -> p.read(HikariPoolMXBean::getThreadsAwaitingConnection));
        MetricCatalog.DB_CLIENT_CONNECTION_MAX.gauge(registry, pool, gauges, HikariPool::maximumPoolSize);
        return true;
    }

    private static HikariDataSource hikari(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource) {
            return (HikariDataSource) dataSource;
        }
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                return dataSource.unwrap(HikariDataSource.class);
            }
        } catch (SQLException | RuntimeException notAWrapper) {
            // Not a HikariDataSource underneath: Vigil tracks the pool itself.
        }
        return null;
    }

    /** A value from the pool's MXBean, or NaN while the pool is not started or already closed. */
    private double read(ToIntFunction<HikariPoolMXBean> value) {
        try {
            HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
            return pool == null || hikari.isClosed() ? Double.NaN : value.applyAsInt(pool);
        } catch (RuntimeException error) {
            return Double.NaN;
        }
    }

    private double maximumPoolSize() {
        return hikari.getMaximumPoolSize();
    }
}
