package io.vigil.jdbc;

import io.vigil.jdbc.testkit.SharedPostgres;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour users rely on, written once and run against H2 and a real PostgreSQL, each plain and behind
 * HikariCP: exact counts and tags in a Prometheus scrape after known workloads, errors by SQLState class, the
 * JDBC wrapper contract, pool saturation, leaks, the slow-query log, and SQL text never reaching a tag.
 */
@ExtendWith(SharedPostgres.class)
class JdbcBehaviourTest {

    private static final String ROWS = "db_client_response_returned_rows";

    @ParameterizedTest
    @EnumSource(Setup.class)
    void workloadIsCountedExactlyByOperation(Setup setup) throws SQLException {
        try (Fixture db = Fixture.open(setup)) {
            try (Connection connection = db.monitored.getConnection()) {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO items(id, name, qty) VALUES (?, ?, ?)")) {
                    for (int i = 1; i <= 5; i++) {
                        insert.setInt(1, i);
                        insert.setString(2, "item-" + i);
                        insert.setInt(3, i);
                        assertThat(insert.executeUpdate()).isEqualTo(1);
                    }
                }
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT id, name FROM items WHERE qty >= ? ORDER BY id")) {
                    select.setInt(1, 1);
                    assertThat(drain(select.executeQuery())).isEqualTo(5);
                    select.setInt(1, 4);
                    assertThat(drain(select.executeQuery())).isEqualTo(2);
                }
                try (Statement statement = connection.createStatement()) {
                    assertThat(statement.executeUpdate("UPDATE items SET qty = qty + 1 WHERE id = 1")).isEqualTo(1);
                    assertThat(statement.executeUpdate("UPDATE items SET qty = qty + 1 WHERE id > 3")).isEqualTo(2);
                    assertThat(statement.executeUpdate("DELETE FROM items WHERE id = 5")).isEqualTo(1);
                    assertThat(drain(statement.executeQuery(
                            "WITH big AS (SELECT id FROM items WHERE qty > 2) SELECT COUNT(*) FROM big"))).isEqualTo(1);
                    assertThat(statement.execute("SELECT name FROM items")).isTrue();
                    assertThat(drain(statement.getResultSet())).isEqualTo(4);
                }
            }

            assertThat(db.successes("INSERT")).isEqualTo(5);
            assertThat(db.successes("SELECT")).isEqualTo(4);
            assertThat(db.successes("UPDATE")).isEqualTo(2);
            assertThat(db.successes("DELETE")).isEqualTo(1);
            PrometheusScrape scrape = db.scrape();
            assertThat(scrape.labelValues(Fixture.OPERATIONS, "outcome")).containsExactly("success");
            assertThat(scrape.labelValues(Fixture.OPERATIONS, "db_system")).containsExactly(setup.system);
            assertThat(scrape.value(ROWS + "_count", "db_namespace", "app", "db_operation", "SELECT")).isEqualTo(4);
            assertThat(scrape.value(ROWS + "_sum", "db_namespace", "app", "db_operation", "SELECT")).isEqualTo(12);
            assertThat(scrape.value("db_client_connection_wait_time_seconds_count", "pool", "app")).isEqualTo(1);
            assertThat(scrape.value("db_client_connection_use_time_seconds_count", "pool", "app")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void batchesAreOneOperationWithTheirSize(Setup setup) throws SQLException {
        try (Fixture db = Fixture.open(setup); Connection connection = db.monitored.getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO items(id, name, qty) VALUES (?, ?, 0)")) {
                for (int i = 1; i <= 3; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "batched");
                    insert.addBatch();
                }
                assertThat(insert.executeBatch()).hasSize(3);
            }
            try (Statement statement = connection.createStatement()) {
                statement.addBatch("UPDATE items SET qty = 1 WHERE id = 1");
                statement.addBatch("UPDATE items SET qty = 2 WHERE id = 2");
                assertThat(statement.executeBatch()).hasSize(2);
            }

            assertThat(db.successes("BATCH")).isEqualTo(2);
            PrometheusScrape scrape = db.scrape();
            assertThat(scrape.labelValues(Fixture.OPERATIONS, "db_operation")).containsExactly("BATCH");
            assertThat(scrape.value("db_client_operation_batch_size_count", "db_system", setup.system)).isEqualTo(2);
            assertThat(scrape.value("db_client_operation_batch_size_sum", "db_system", setup.system)).isEqualTo(5);
            assertThat(db.itemCount()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void explicitCommitsAndRollbacksAreCountedAsTransactions(Setup setup) throws SQLException {
        try (Fixture db = Fixture.open(setup)) {
            try (Connection connection = db.monitored.getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO items(id, name, qty) VALUES (?, 'tx', 0)")) {
                    insert.setInt(1, 1);
                    insert.executeUpdate();
                    connection.commit();
                    insert.setInt(1, 2);
                    insert.executeUpdate();
                    connection.rollback();
                    insert.setInt(1, 3);
                    insert.executeUpdate();
                    connection.commit();
                }
                connection.setAutoCommit(true);
            }
            PrometheusScrape scrape = db.scrape();
            assertThat(scrape.value("db_client_transactions_total", "db_namespace", "app", "outcome", "commit"))
                    .isEqualTo(2);
            assertThat(scrape.value("db_client_transactions_total", "db_namespace", "app", "outcome", "rollback"))
                    .isEqualTo(1);
            assertThat(db.itemCount()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void storedProcedureCallsAreCallOperations(Setup setup) throws SQLException {
        try (Fixture db = Fixture.open(setup); Connection connection = db.monitored.getConnection();
             CallableStatement call = connection.prepareCall("CALL add_item(?, ?)")) {
            for (int i = 1; i <= 2; i++) {
                call.setInt(1, i);
                call.setString(2, "called");
                call.execute();
            }
            assertThat(db.successes("CALL")).isEqualTo(2);
            assertThat(db.itemCount()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void failuresAreCountedBySqlStateClassAndReachTheCallerUnchanged(Setup setup) throws SQLException {
        try (Fixture db = Fixture.open(setup); Connection connection = db.monitored.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                SQLException syntax = catchThrowableOfType(SQLException.class,
                        () -> statement.executeQuery("SELEC id FROM items"));
                assertDriverException(syntax, setup);
                assertThat(syntax.getSQLState()).startsWith("42");
                assertThat(db.operations("OTHER", "error", "42")).isEqualTo(1);

                SQLException missingTable = catchThrowableOfType(SQLException.class,
                        () -> statement.executeQuery("SELECT * FROM no_such_table"));
                assertDriverException(missingTable, setup);
                assertThat(db.operations("SELECT", "error", "42")).isEqualTo(1);
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO items(id, name, qty) VALUES (?, 'dup', 0)")) {
                insert.setInt(1, 7);
                insert.executeUpdate();
                SQLException duplicate = catchThrowableOfType(SQLException.class, insert::executeUpdate);
                assertDriverException(duplicate, setup);
                assertThat(duplicate.getSQLState()).startsWith("23");
                assertThat(db.operations("INSERT", "error", "23")).isEqualTo(1);
                assertThat(db.successes("INSERT")).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void statementsOfAClosedConnectionFailWithTheDriversSqlState(Setup setup) throws SQLException {
        try (Fixture db = Fixture.open(setup)) {
            Connection connection = db.monitored.getConnection();
            PreparedStatement select = connection.prepareStatement("SELECT id FROM items");
            connection.close();
            assertThat(connection.isClosed()).isTrue();
            assertThat(select.isClosed()).isTrue();

            SQLException closed = catchThrowableOfType(SQLException.class, select::executeQuery);
            assertDriverException(closed, setup);
            assertThat(db.operations("SELECT", "error", OperationMeters.errorType(closed))).isEqualTo(1);
            assertThat(db.scrape().sum(Fixture.OPERATIONS)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Setup.class, names = {"H2_HIKARI", "POSTGRES_HIKARI"}) // only a pool makes threads wait
    void exhaustedPoolTimesOutAndIsCounted(Setup setup) throws SQLException {
        try (Fixture db = Fixture.open(setup, 4, 250)) {
            db.awaitPoolFilled();
            List<Connection> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                held.add(db.monitored.getConnection());
            }
            SQLTransientConnectionException timeout = catchThrowableOfType(SQLTransientConnectionException.class,
                    db.monitored::getConnection);
            assertThat(timeout.getMessage()).contains("request timed out");
            for (Connection connection : held) {
                connection.close();
            }
            PrometheusScrape scrape = db.scrape();
            assertThat(scrape.value("db_client_connection_timeouts_total", "pool", "app")).isEqualTo(1);
            assertThat(scrape.value("db_client_connection_wait_time_seconds_count", "pool", "app")).isEqualTo(5);
            assertThat(scrape.value("db_client_connection_use_time_seconds_count", "pool", "app")).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void sqlTextNeverReachesATag(Setup setup) throws SQLException {
        String injection = "SELECT name FROM items WHERE name = 'x'' OR ''1''=''1''; DROP TABLE items; --'";
        String huge = "SELECT COUNT(*) FROM items WHERE name <> '" + "a".repeat((1 << 20) - 64) + "'";
        try (Fixture db = Fixture.open(setup); Connection connection = db.monitored.getConnection();
             Statement statement = connection.createStatement()) {
            assertThat(drain(statement.executeQuery(injection))).isZero();
            assertThat(drain(statement.executeQuery(huge))).isEqualTo(1);
            try (PreparedStatement prepared = connection.prepareStatement(huge)) {
                assertThat(drain(prepared.executeQuery())).isEqualTo(1);
            }
            catchThrowableOfType(SQLException.class, () -> statement.executeQuery(huge + " DROP TABLE items"));

            assertThat(db.successes("SELECT")).isEqualTo(3);
            PrometheusScrape scrape = db.scrape();
            for (PrometheusScrape.Sample sample : scrape.samples()) {
                for (Map.Entry<String, String> label : sample.labels().entrySet()) {
                    assertThat(label.getValue()).as("%s of %s", label.getKey(), sample.name())
                            .hasSizeLessThanOrEqualTo(32).doesNotContain("DROP", "aaaa", "'", "items");
                }
            }
            assertThat(scrape.labelValues(Fixture.OPERATIONS, "db_operation")).containsExactly("SELECT");
        }
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void concurrentWorkloadCountsAreExact(Setup setup) throws Exception {
        int threads = 16;
        int iterations = 25;
        try (Fixture db = Fixture.open(setup, 4, 30_000)) {
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    results.add(executor.submit(() -> {
                        int rows = 0;
                        for (int i = 0; i < iterations; i++) {
                            try (Connection connection = db.monitored.getConnection();
                                 PreparedStatement select = connection.prepareStatement("SELECT ? AS n")) {
                                select.setInt(1, id);
                                rows += drain(select.executeQuery());
                            }
                        }
                        return rows;
                    }));
                }
                for (Future<Integer> result : results) {
                    assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(iterations);
                }
            } finally {
                executor.shutdownNow();
            }
            int total = threads * iterations;
            PrometheusScrape scrape = db.scrape();
            assertThat(db.successes("SELECT")).isEqualTo(total);
            assertThat(scrape.value(ROWS + "_count", "db_operation", "SELECT")).isEqualTo(total);
            assertThat(scrape.value(ROWS + "_sum", "db_operation", "SELECT")).isEqualTo(total);
            assertThat(scrape.value("db_client_connection_wait_time_seconds_count", "pool", "app")).isEqualTo(total);
            assertThat(scrape.value("db_client_connection_use_time_seconds_count", "pool", "app")).isEqualTo(total);
            assertThat(scrape.value("db_client_connection_count", "pool", "app", "state", "used")).isZero();
            assertThat(scrape.value("db_client_connection_pending_requests", "pool", "app")).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Setup.class, names = {"H2_HIKARI", "POSTGRES_HIKARI"}) // only a pool makes threads wait
    void waitingThreadsShowAsPendingRequestsOfASaturatedPool(Setup setup) throws Exception {
        int threads = 16;
        try (Fixture db = Fixture.open(setup, 4, 30_000)) {
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    results.add(executor.submit(() -> {
                        try (Connection connection = db.monitored.getConnection();
                             Statement statement = connection.createStatement()) {
                            drain(statement.executeQuery("SELECT 1"));
                            release.await();
                        }
                        return null;
                    }));
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    PrometheusScrape scrape = db.scrape();
                    assertThat(scrape.value("db_client_connection_pending_requests", "pool", "app")).isEqualTo(12);
                    assertThat(scrape.value("db_client_connection_count", "pool", "app", "state", "used"))
                            .isEqualTo(4);
                });
                assertThat(db.scrape().value("db_client_connection_max", "pool", "app")).isEqualTo(4);
                release.countDown();
                for (Future<?> result : results) {
                    result.get(60, TimeUnit.SECONDS);
                }
            } finally {
                release.countDown();
                executor.shutdownNow();
            }
            PrometheusScrape scrape = db.scrape();
            assertThat(db.successes("SELECT")).isEqualTo(threads);
            assertThat(scrape.value("db_client_connection_wait_time_seconds_count", "pool", "app")).isEqualTo(threads);
            assertThat(scrape.value("db_client_connection_wait_time_seconds_max", "pool", "app")).isPositive();
            assertThat(scrape.value("db_client_connection_timeouts_total", "pool", "app")).isZero();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    db.scrape().value("db_client_connection_pending_requests", "pool", "app")).isZero());
        }
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void poolGaugesShowConnectionsInUse(Setup setup) throws SQLException {
        try (Fixture db = Fixture.open(setup)) {
            List<Connection> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(db.monitored.getConnection());
            }
            PrometheusScrape scrape = db.scrape();
            assertThat(scrape.value("db_client_connection_count", "pool", "app", "state", "used")).isEqualTo(3);
            if (setup.pooled) {
                assertThat(scrape.value("db_client_connection_max", "pool", "app")).isEqualTo(4);
                assertThat(scrape.value("db_client_connection_count", "pool", "app", "state", "idle"))
                        .isBetween(0.0, 1.0);
            } else {
                // Over a plain DataSource idle connections and the maximum are unknown: not reported.
                assertThat(scrape.labelValues("db_client_connection_count", "state")).containsExactly("used");
                assertThat(scrape.has("db_client_connection_max")).isFalse();
            }
            for (Connection connection : held) {
                connection.close();
            }
            assertThat(db.scrape().value("db_client_connection_count", "pool", "app", "state", "used")).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void jdbcWrapperContractIsKept(Setup setup) throws SQLException {
        Class<? extends Connection> driverConnection = setup.postgres()
                ? org.postgresql.jdbc.PgConnection.class : org.h2.jdbc.JdbcConnection.class;
        try (Fixture db = Fixture.open(setup)) {
            assertThat(db.monitored.unwrap(MonitoredDataSource.class)).isSameAs(db.monitored);
            assertThat(db.monitored.isWrapperFor(db.underlying.getClass())).isTrue();
            assertThat(db.monitored.unwrap(db.underlying.getClass())).isSameAs(db.underlying);
            if (setup.pooled) {
                assertThat(db.monitored.unwrap(HikariDataSource.class)).isSameAs(db.pool);
            }

            Connection connection = db.monitored.getConnection();
            assertThat(connection.isWrapperFor(driverConnection)).isTrue();
            assertThat(connection.unwrap(driverConnection)).isInstanceOf(driverConnection);

            Statement statement = connection.createStatement();
            PreparedStatement prepared = connection.prepareStatement("SELECT id FROM items");
            CallableStatement callable = connection.prepareCall("CALL add_item(?, ?)");
            assertThat(statement.getConnection()).isSameAs(connection);
            assertThat(prepared.getConnection()).isSameAs(connection);
            assertThat(callable.getConnection()).isSameAs(connection);
            assertThat(prepared.unwrap(PreparedStatement.class)).isNotSameAs(prepared);

            ResultSet fromStatement = statement.executeQuery("SELECT 1 UNION ALL SELECT 2");
            ResultSet fromPrepared = prepared.executeQuery();
            assertThat(fromStatement.getStatement()).isSameAs(statement);
            assertThat(fromPrepared.getStatement()).isSameAs(prepared);
            assertThat(fromStatement.unwrap(ResultSet.class)).isNotSameAs(fromStatement);
            assertThat(fromStatement.next()).isTrue();

            // Closing the connection closes its statements and their result sets; rows read so far are recorded.
            connection.close();
            assertThat(statement.isClosed()).isTrue();
            assertThat(prepared.isClosed()).isTrue();
            assertThat(callable.isClosed()).isTrue();
            assertThat(fromStatement.isClosed()).isTrue();
            PrometheusScrape scrape = db.scrape();
            assertThat(scrape.value(ROWS + "_count", "db_operation", "SELECT")).isEqualTo(2);
            assertThat(scrape.value(ROWS + "_sum", "db_operation", "SELECT")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void connectionHeldPastTheLeakThresholdIsCountedAndLoggedOnce(Setup setup) throws Exception {
        try (StderrCapture log = new StderrCapture();
             Fixture db = Fixture.open(setup, builder -> builder.leakDetectionThreshold(Duration.ofMillis(100)))) {
            try (Connection leaked = db.monitored.getConnection()) {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        db.scrape().value("db_client_connection_leaks_total", "pool", "app")).isEqualTo(1));
                Thread.sleep(300); // several more sweeps: the same connection is not reported again
                assertThat(leaked.isValid(1)).isTrue();
            }
            assertThat(db.scrape().value("db_client_connection_leaks_total", "pool", "app")).isEqualTo(1);
            String text = log.text();
            assertThat(text.split("Possible connection leak in pool app", -1)).hasSize(2);
            assertThat(text).contains("Connection acquired here")
                    .contains("connectionHeldPastTheLeakThresholdIsCountedAndLoggedOnce");
        }
    }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void slowQueriesAreLoggedWithLiteralsReplaced(Setup setup) throws SQLException {
        try (StderrCapture log = new StderrCapture();
             Fixture db = Fixture.open(setup, builder -> builder.slowQueryThreshold(Duration.ofNanos(1)))) {
            try (Connection connection = db.monitored.getConnection();
                 Statement statement = connection.createStatement()) {
                statement.executeUpdate("INSERT INTO items(id, name, qty) VALUES (42, 'secret-value', 7)");
                assertThat(drain(statement.executeQuery(
                        "SELECT name FROM items WHERE name = 'secret-value' AND qty > 6"))).isEqualTo(1);
            }
            String text = log.text();
            assertThat(text).contains("Slow INSERT on app").contains("1 rows")
                    .contains("INSERT INTO items(id, name, qty) VALUES (?, ?, ?)")
                    .doesNotContain("secret-value");
        }
        try (StderrCapture log = new StderrCapture();
             Fixture db = Fixture.open(setup, builder -> builder.slowQueryThreshold(Duration.ofNanos(1))
                     .sqlLogging(MonitoredDataSource.SqlLogging.OPERATION_ONLY))) {
            try (Connection connection = db.monitored.getConnection();
                 Statement statement = connection.createStatement()) {
                assertThat(drain(statement.executeQuery("SELECT name FROM items WHERE name = 'hidden'"))).isZero();
            }
            assertThat(log.text()).contains("Slow SELECT on app").contains("0 rows").doesNotContain("hidden")
                    .doesNotContain("FROM items");
        }
    }

    private static int drain(ResultSet resultSet) throws SQLException {
        int rows = 0;
        try (resultSet) {
            while (resultSet.next()) {
                rows++;
            }
        }
        return rows;
    }

    /** The driver's (or Hikari's) own exception, untouched: no Vigil type, cause or suppressed exception. */
    private static void assertDriverException(SQLException error, Setup setup) {
        assertThat((Throwable) error).isNotNull();
        assertThat(error.getClass().getName()).startsWith(setup.postgres() ? "org.postgresql" : "org.h2");
        assertThat(error.getSuppressed()).isEmpty();
    }
}
