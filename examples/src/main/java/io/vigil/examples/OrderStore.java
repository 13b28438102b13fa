package io.vigil.examples;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;

/** The orders table, reached through the monitored DataSource so every statement is measured. */
final class OrderStore {

    private final DataSource dataSource;

    OrderStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void createSchema() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS orders (id UUID PRIMARY KEY, item VARCHAR(64) NOT NULL, "
                    + "quantity INT NOT NULL, created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP)");
        }
    }

    /** One INSERT in an explicit transaction: shows up as {@code db_client_transactions_total{outcome}}. */
    void insert(Order order) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO orders (id, item, quantity) VALUES (?, ?, ?)")) {
                insert.setObject(1, order.id());
                insert.setString(2, order.item());
                insert.setInt(3, order.quantity());
                insert.executeUpdate();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    Optional<Order> find(UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT item, quantity FROM orders WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new Order(id, rows.getString(1), rows.getInt(2))) : Optional.empty();
            }
        }
    }
}
