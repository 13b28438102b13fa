package io.vigil.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** H2's stored procedure for the tests ({@code CREATE ALIAS add_item FOR ...}). */
public final class StoredProcedures {

    private StoredProcedures() {
    }

    public static void addItem(Connection connection, int id, String name) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO items(id, name, qty) VALUES (?, ?, 0)")) {
            insert.setInt(1, id);
            insert.setString(2, name);
            insert.executeUpdate();
        }
    }
}
