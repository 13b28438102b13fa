package io.vigil.jdbc;

import io.vigil.jdbc.testkit.SharedPostgres;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.testkit.PrometheusScrape;
import org.h2.jdbcx.JdbcDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One test's database: a fresh schema on the setup's database, the (unmonitored) DataSource or Hikari pool
 * over it, a fresh Prometheus registry and the {@link MonitoredDataSource} named {@code app} under test.
 */
final class Fixture implements AutoCloseable {

    static final String NAME = "app";
    static final String OPERATIONS = "db_client_operation_duration_seconds_count";
    private static final AtomicInteger H2_DATABASES = new AtomicInteger();

    final Setup setup;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** What the application had before Vigil: the plain DataSource or the Hikari pool. */
    final DataSource underlying;
    final HikariDataSource pool;
    final MonitoredDataSource monitored;
    private final JdbcDataSource h2;

    private Fixture(Setup setup, int poolSize, long connectionTimeoutMs, Consumer<MonitoredDataSource.Builder> options)
            throws SQLException {
        this.setup = setup;
        DataSource plain;
        if (setup.postgres()) {
            plain = SharedPostgres.dataSource();
            h2 = null;
        } else {
            h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:vigil" + H2_DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
            plain = h2;
        }
        createSchema(plain);
        if (setup.pooled) {
            HikariConfig config = new HikariConfig();
            config.setDataSource(plain);
            config.setPoolName(NAME);
            config.setMaximumPoolSize(poolSize);
            config.setMinimumIdle(poolSize); // filled in the background; see awaitPoolFilled()
            config.setConnectionTimeout(connectionTimeoutMs);
            pool = new HikariDataSource(config);
            underlying = pool;
        } else {
            pool = null;
            underlying = plain;
        }
        MonitoredDataSource.Builder builder = MonitoredDataSource.builder(underlying, registry).name(NAME);
        options.accept(builder);
        monitored = builder.build();
    }

    static Fixture open(Setup setup) throws SQLException {
        return open(setup, builder -> { });
    }

    static Fixture open(Setup setup, Consumer<MonitoredDataSource.Builder> options) throws SQLException {
        return new Fixture(setup, 4, 5_000, options);
    }

    static Fixture open(Setup setup, int poolSize, long connectionTimeoutMs) throws SQLException {
        return new Fixture(setup, poolSize, connectionTimeoutMs, builder -> { });
    }

    private void createSchema(DataSource plain) throws SQLException {
        try (Connection connection = plain.getConnection(); Statement statement = connection.createStatement()) {
            if (setup.postgres()) {
                statement.execute("DROP TABLE IF EXISTS items CASCADE");
                statement.execute("CREATE TABLE items(id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, qty INT)");
                statement.execute("CREATE OR REPLACE PROCEDURE add_item(p_id INT, p_name VARCHAR) LANGUAGE SQL"
                        + " AS $$ INSERT INTO items(id, name, qty) VALUES (p_id, p_name, 0) $$");
            } else {
                statement.execute("CREATE TABLE items(id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, qty INT)");
                statement.execute("CREATE ALIAS add_item FOR 'io.vigil.jdbc.StoredProcedures.addItem'");
            }
        }
    }

    /** Waits until Hikari has opened every connection, so that borrowing them does not race its filler. */
    void awaitPoolFilled() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(
                () -> pool.getHikariPoolMXBean() != null
                        && pool.getHikariPoolMXBean().getIdleConnections() == pool.getMaximumPoolSize());
    }

    PrometheusScrape scrape() {
        return PrometheusScrape.parse(registry.scrape());
    }

    /** The count of {@code db.client.operation.duration} for one operation, outcome and error type. */
    double operations(String operation, String outcome, String errorType) {
        return scrape().value(OPERATIONS, "db_system", setup.system, "db_namespace", NAME,
                "db_operation", operation, "outcome", outcome, "error_type", errorType);
    }

    double successes(String operation) {
        return operations(operation, "success", "none");
    }

    /** Rows in {@code items}, read around Vigil. */
    int itemCount() throws SQLException {
        try (Connection connection = underlying.getConnection(); Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT COUNT(*) FROM items")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Override
    public void close() throws SQLException {
        monitored.close(); // closes the Hikari pool too
        if (h2 != null) {
            try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            }
        }
        registry.close();
    }
}
