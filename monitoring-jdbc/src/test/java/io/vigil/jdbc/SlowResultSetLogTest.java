package io.vigil.jdbc;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A slow query that returns rows is logged when its result set closes, with the rows read and the statement's
 * SQL: kept apart from the result set (and from the statement, for {@code execute()} then
 * {@code getResultSet()}) until then. One fixture per case: the log writes at most one line a second per
 * DataSource. H2 only: this is Vigil's bookkeeping.
 */
class SlowResultSetLogTest {

    @Test
    void slowPreparedQueryIsLoggedWithItsRowsWhenTheResultSetCloses() throws SQLException {
        try (StderrCapture log = new StderrCapture();
             Fixture db = Fixture.open(Setup.H2_PLAIN, builder -> builder.slowQueryThreshold(Duration.ofNanos(1)))) {
            try (Connection connection = db.monitored.getConnection()) {
                insertItems(connection, 2);
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT id FROM items WHERE name <> 'prepared-secret' AND qty = ?")) {
                    select.setInt(1, 1);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            assertThat(log.text()).doesNotContain("Slow SELECT"); // not before it closes
                        }
                    }
                }
            }
            assertThat(log.text()).contains("Slow SELECT on app").contains("2 rows")
                    .contains("SELECT id FROM items WHERE name <> ? AND qty = ?").doesNotContain("prepared-secret");
        }
    }

    @Test
    void slowExecuteIsLoggedWithTheRowsOfTheResultSetItReturns() throws SQLException {
        try (StderrCapture log = new StderrCapture();
             Fixture db = Fixture.open(Setup.H2_PLAIN, builder -> builder.slowQueryThreshold(Duration.ofNanos(1)))) {
            try (Connection connection = db.monitored.getConnection()) {
                insertItems(connection, 3);
                try (Statement statement = connection.createStatement()) {
                    assertThat(statement.execute("SELECT id FROM items WHERE name <> 'execute-secret'")).isTrue();
                    try (ResultSet rows = statement.getResultSet()) {
                        while (rows.next()) {
                            // counted
                        }
                    }
                }
            }
            assertThat(log.text()).contains("Slow SELECT on app").contains("3 rows")
                    .contains("SELECT id FROM items WHERE name <> ?").doesNotContain("execute-secret");
        }
    }

    /** Through the underlying DataSource, so the inserts are not the one slow line the log writes this second. */
    private static void insertItems(Connection monitored, int count) throws SQLException {
        Connection plain = monitored.unwrap(Connection.class);
        try (PreparedStatement insert = plain.prepareStatement("INSERT INTO items(id, name, qty) VALUES (?, ?, 1)")) {
            for (int i = 1; i <= count; i++) {
                insert.setInt(1, i);
                insert.setString(2, "item-" + i);
                insert.executeUpdate();
            }
        }
    }
}
