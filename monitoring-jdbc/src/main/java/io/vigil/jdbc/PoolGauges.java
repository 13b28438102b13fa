package io.vigil.jdbc;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vigil.core.catalog.MetricCatalog;

import javax.sql.DataSource;

/**
 * Registers the pool gauges ({@code db.client.connection.count}, {@code pending_requests}, {@code max}).
 *
 * <p>Over a HikariCP pool they read Hikari's {@code HikariPoolMXBean}; {@link HikariPool} is loaded only when
 * HikariCP is on the class path, so Vigil runs without it. Over any other DataSource Vigil counts itself:
 * {@code count{state=used}} is the number of connections handed out and not yet closed and
 * {@code pending_requests} the threads inside {@code getConnection()}; idle connections and the maximum are
 * unknown there, so {@code count{state=idle}} and {@code max} are not registered.
 */
final class PoolGauges {

    static final String DEFAULT_NAME = "default";
    private static final boolean HIKARI_PRESENT = hikariPresent();

    private PoolGauges() {
    }

    static String defaultName(DataSource dataSource) {
        if (HIKARI_PRESENT) {
            String hikariName = HikariPool.poolName(dataSource);
            if (hikariName != null && !hikariName.isBlank()) {
                return hikariName;
            }
        }
        return DEFAULT_NAME;
    }

    static void register(MeterRegistry registry, Tags pool, DataSource dataSource, DataSourceTelemetry telemetry) {
        if (HIKARI_PRESENT && HikariPool.register(registry, pool, dataSource)) {
            return;
        }
        MetricCatalog.DB_CLIENT_CONNECTION_COUNT.gauge(registry, pool.and("state", "used"), telemetry,
                DataSourceTelemetry::inUse);
        MetricCatalog.DB_CLIENT_CONNECTION_PENDING_REQUESTS.gauge(registry, pool, telemetry,
                DataSourceTelemetry::pending);
    }

    private static boolean hikariPresent() {
        try {
            Class.forName("com.zaxxer.hikari.HikariDataSource", false, PoolGauges.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }
}
