package io.vigil.benchmarks;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The table both JDBC suites read, and the point select they run on it the same way. */
public final class Accounts {

    public static final int COUNT = 1_000;
    public static final String CREATE_TABLE =
            "CREATE TABLE account (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, balance BIGINT NOT NULL)";
    static final String SELECT_BY_ID = "SELECT id, name, balance FROM account WHERE id = ?";

    private Accounts() {
    }

    /** Borrow, prepare, bind, execute, read the one row, close all: what application code does with a pool. */
    public static long pointSelect(DataSource dataSource, int accountId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(SELECT_BY_ID)) {
            statement.setInt(1, accountId);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("No account " + accountId);
                }
                return rows.getInt(1) + rows.getString(2).length() + rows.getLong(3);
            }
        }
    }
}
