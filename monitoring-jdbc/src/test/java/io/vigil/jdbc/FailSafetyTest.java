package io.vigil.jdbc;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.testkit.PrometheusScrape;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Monitoring never hurts the monitored: the driver's exception is the very instance the caller sees, and a
 * failure inside Vigil's own recording is swallowed and counted. The failing driver is a stand-in built with
 * dynamic proxies because no real driver can be made to throw a given exception instance.
 */
class FailSafetyTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void statementExceptionIsTheSameInstance() throws SQLException {
        SQLException boom = new SQLException("duplicate key", "23505", 1);
        PreparedStatement statement = proxy(PreparedStatement.class, (name, args) -> {
            if (name.equals("executeUpdate")) {
                throw boom;
            }
            return null;
        });
        Connection connection = proxy(Connection.class, (name, args) -> switch (name) {
            case "prepareStatement" -> statement;
            case "getMetaData" -> proxy(java.sql.DatabaseMetaData.class,
                    (n, a) -> n.equals("getDatabaseProductName") ? "PostgreSQL" : null);
            default -> null;
        });
        MonitoredDataSource monitored = MonitoredDataSource.builder(dataSource(() -> connection), registry)
                .name("fake").build();

        try (Connection wrapped = monitored.getConnection();
             PreparedStatement insert = wrapped.prepareStatement("INSERT INTO t VALUES (?)")) {
            assertThatThrownBy(insert::executeUpdate).isSameAs(boom);
        }
        assertThat(boom.getSuppressed()).isEmpty();
        assertThat(PrometheusScrape.parse(registry.scrape()).value(Fixture.OPERATIONS, "db_system", "postgresql",
                "db_operation", "INSERT", "outcome", "error", "error_type", "23")).isEqualTo(1);
    }

    @Test
    void connectionExceptionIsTheSameInstanceAndATimeoutIsCounted() {
        SQLTransientConnectionException timeout = new SQLTransientConnectionException("request timed out");
        MonitoredDataSource monitored = MonitoredDataSource.builder(dataSource(() -> {
            throw timeout;
        }), registry).name("fake").build();

        assertThatThrownBy(monitored::getConnection).isSameAs(timeout);
        PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
        assertThat(scrape.value("db_client_connection_timeouts_total", "pool", "fake")).isEqualTo(1);
        assertThat(scrape.value("db_client_connection_pending_requests", "pool", "fake")).isZero();
    }

    @Test
    void aFailureInsideVigilIsCountedAndNeverReachesTheApplication() throws SQLException {
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().startsWith("db.client.operation") || id.getName().startsWith("db.client.response")) {
                    throw new IllegalStateException("registry broken");
                }
                return id;
            }
        });
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:failsafe;DB_CLOSE_DELAY=-1");
        MonitoredDataSource monitored = MonitoredDataSource.builder(h2, registry).name("broken").build();
        try (Connection connection = monitored.getConnection(); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT 1")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
            statement.execute("SHUTDOWN");
        }
        assertThat(PrometheusScrape.parse(registry.scrape())
                .value("vigil_internal_errors_total", "component", "jdbc")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void rejectsBadConfiguration() {
        JdbcDataSource h2 = new JdbcDataSource();
        assertThatThrownBy(() -> MonitoredDataSource.builder(h2, registry).name(" "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MonitoredDataSource.builder(h2, registry).slowQueryThreshold(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MonitoredDataSource.builder(h2, registry)
                .leakDetectionThreshold(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MonitoredDataSource.builder(h2, null)).isInstanceOf(NullPointerException.class);
        MonitoredDataSource monitored = MonitoredDataSource.wrap(h2, registry);
        assertThat(monitored.name()).isEqualTo("default");
        assertThatThrownBy(() -> MonitoredDataSource.wrap(monitored, registry))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private interface Answer {
        Object answer(String method, Object[] args) throws Exception;
    }

    private interface ConnectionSupplier {
        Connection get() throws SQLException;
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(FailSafetyTest.class.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> {
                    if (method.getName().equals("isWrapperFor")) {
                        return false;
                    }
                    Object result = answer.answer(method.getName(), args);
                    if (result == null && method.getReturnType() == boolean.class) {
                        return false;
                    }
                    if (result == null && method.getReturnType() == int.class) {
                        return 0;
                    }
                    return result;
                }));
    }

    private static DataSource dataSource(ConnectionSupplier connections) {
        return new DataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                return connections.get();
            }

            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                return connections.get();
            }

            @Override
            public PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(PrintWriter out) {
            }

            @Override
            public void setLoginTimeout(int seconds) {
            }

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public Logger getParentLogger() {
                return Logger.getGlobal();
            }

            @Override
            public <T> T unwrap(Class<T> iface) throws SQLException {
                throw new SQLException("not a wrapper");
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }
}
