package io.vigil.benchmarks;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * A DataSource over a database that does not exist, as HikariCP's own benchmark uses: {@code getConnection()}
 * hands out its one {@link StubConnection} again and again, which answers constants without I/O and without
 * allocating, so whatever a wrapper adds around it is the whole difference to the bare call.
 *
 * <p>It is the ground truth of the stub suites: it counts the connections handed out and the statements
 * executed, and each instrumented variant must have recorded exactly that many. One per benchmark thread (its
 * counters are plain fields, read after the thread stopped).
 */
final class StubDataSource implements DataSource {

    private final StubConnection connection = new StubConnection();
    private long connections;

    @Override
    public Connection getConnection() {
        connections++;
        return connection.reopen();
    }

    @Override
    public Connection getConnection(String username, String password) {
        return getConnection();
    }

    /** How many times {@code getConnection()} was answered. */
    long connections() {
        return connections;
    }

    /** How many statements were executed on its connection. */
    long executions() {
        return connection.executions();
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
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("the stub DataSource does not log");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("StubDataSource is not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "StubDataSource";
    }
}
