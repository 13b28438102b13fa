package io.vigil.jdbc;

import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a connection keeps its open statements and the verbs of what it prepares: the first open statement in a
 * slot of its own, further ones in a list, the last prepared SQL's operation in a field. H2 only: this is
 * Vigil's bookkeeping, not the driver's behaviour (JdbcBehaviourTest covers that on every database).
 */
class StatementTrackingTest {

    private static final String ROWS = "db_client_response_returned_rows";

    @Test
    void closingTheConnectionRecordsTheRowsOfEveryStatementStillOpenOnce() throws SQLException {
        try (Fixture db = Fixture.open(Setup.H2_PLAIN)) {
            insertItems(db, 6);
            ResultSet first;
            ResultSet second;
            ResultSet third;
            PreparedStatement closedEarly;
            PreparedStatement reprepared;
            try (Connection connection = db.monitored.getConnection()) {
                // first: the slot; second and third: the list (closedEarly between them leaves it from the middle)
                PreparedStatement one = connection.prepareStatement("SELECT id FROM items WHERE id <= 1");
                PreparedStatement two = connection.prepareStatement("SELECT id FROM items WHERE id <= 2");
                closedEarly = connection.prepareStatement("SELECT id FROM items WHERE id <= 4");
                Statement three = connection.createStatement();
                first = one.executeQuery();
                second = two.executeQuery();
                third = three.executeQuery("SELECT id FROM items WHERE id <= 3");
                drain(first);
                drain(second);
                drain(third);
                try (ResultSet rows = closedEarly.executeQuery()) {
                    drain(rows);
                }
                closedEarly.close();
                one.close(); // frees the slot: the next statement takes it while the list still holds others
                reprepared = connection.prepareStatement("SELECT id FROM items WHERE id <= 5");
                drain(reprepared.executeQuery());
            }
            assertThat(first.isClosed()).isTrue();
            assertThat(second.isClosed()).isTrue();
            assertThat(third.isClosed()).isTrue();
            assertThat(reprepared.isClosed()).isTrue();
            PrometheusScrape scrape = db.scrape();
            // 1 (closed by its statement) + 2 + 3 (closed by the connection) + 4 (closed by the application) + 5
            assertThat(scrape.value(ROWS + "_count", "db_namespace", "app", "db_operation", "SELECT")).isEqualTo(5);
            assertThat(scrape.value(ROWS + "_sum", "db_namespace", "app", "db_operation", "SELECT")).isEqualTo(15);
            assertThat(db.successes("SELECT")).isEqualTo(5);
        }
    }

    @Test
    void eachPreparedStatementGetsTheVerbOfItsOwnSqlWhenTheConnectionAlternates() throws SQLException {
        try (Fixture db = Fixture.open(Setup.H2_PLAIN); Connection connection = db.monitored.getConnection()) {
            String insert = "INSERT INTO items(id, name, qty) VALUES (?, 'x', 1)";
            String select = "SELECT COUNT(*) FROM items";
            for (int i = 1; i <= 3; i++) {
                try (PreparedStatement statement = connection.prepareStatement(insert)) {
                    statement.setInt(1, i);
                    statement.executeUpdate();
                }
                // an equal SQL string that is another instance: the connection's identity check misses, the map hits
                try (PreparedStatement statement = connection.prepareStatement(new String(select.toCharArray()));
                     ResultSet rows = statement.executeQuery()) {
                    drain(rows);
                }
                try (PreparedStatement statement = connection.prepareStatement(select);
                     ResultSet rows = statement.executeQuery()) {
                    drain(rows);
                }
            }
            assertThat(db.successes("INSERT")).isEqualTo(3);
            assertThat(db.successes("SELECT")).isEqualTo(6);
        }
    }

    private static void insertItems(Fixture db, int count) throws SQLException {
        try (Connection connection = db.underlying.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO items(id, name, qty) VALUES (?, ?, 1)")) {
            for (int i = 1; i <= count; i++) {
                insert.setInt(1, i);
                insert.setString(2, "item-" + i);
                insert.executeUpdate();
            }
        }
    }

    private static void drain(ResultSet resultSet) throws SQLException {
        while (resultSet.next()) {
            // counted by Vigil
        }
    }
}
