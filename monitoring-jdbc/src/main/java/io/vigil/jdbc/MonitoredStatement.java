package io.vigil.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * A statement of a {@link MonitoredConnection}. Each execution is timed into
 * {@code db.client.operation.duration} with the verb of its SQL; a failure is recorded with its SQLState class
 * and rethrown as it is. Result sets come back wrapped (for row counting) and {@link #getConnection()} returns
 * the monitored connection, as the JDBC wrapper contract asks.
 *
 * <p>Like JDBC statements themselves, not meant for concurrent use: the fields below are plain.
 */
class MonitoredStatement implements Statement {

    final Statement delegate;
    final MonitoredConnection connection;
    // the meters and slow-query log are reached through the connection rather than copied into fields here:
    // one statement is allocated per prepare, and every field copied makes it (and its constructor) bigger
    private MonitoredResultSet current;
    /** Links in the owning connection's list of open statements; guarded by that connection. */
    MonitoredStatement previousOpen;
    MonitoredStatement nextOpen;
    private boolean closed;
    private int batchSize;
    private String batchSql;
    private int lastOperation = Operations.index(io.vigil.core.normalize.SqlOperation.OTHER);
    /** A slow {@code execute()}'s line, waiting for {@link #getResultSet()}'s rows; null unless slow. */
    private SlowQueryLog.Pending pendingSlow;

    MonitoredStatement(Statement delegate, MonitoredConnection connection) {
        this.delegate = delegate;
        this.connection = connection;
    }

    // ---- recording (never throws) ----

    final void failed(int operation, long start, Throwable failure) {
        connection.meters.failure(operation, System.nanoTime() - start, failure);
    }

    /** Records a successful execution that returned no result set; {@code rows} is its update count. */
    final void succeeded(int operation, long start, String sql, long rows) {
        long nanos = System.nanoTime() - start;
        connection.meters.success(operation, nanos);
        if (connection.telemetry.slowQueries().isSlow(nanos)) {
            logSlow(sql, operation, nanos, rows);
        }
    }

    /** Records a successful {@code execute()}: its result set, if any, is wrapped by {@link #getResultSet()}. */
    final void executed(int operation, long start, String sql, boolean hasResultSet) {
        long nanos = System.nanoTime() - start;
        connection.meters.success(operation, nanos);
        lastOperation = operation;
        pendingSlow = null;
        if (connection.telemetry.slowQueries().isSlow(nanos)) {
            if (hasResultSet) {
                pendingSlow = new SlowQueryLog.Pending(sql, nanos); // logged with the rows when it closes
            } else {
                logSlow(sql, operation, nanos, updateCountOrUnknown());
            }
        }
    }

    /** Records a successful query and wraps its result set. */
    final ResultSet queried(int operation, long start, String sql, ResultSet resultSet) {
        long nanos = System.nanoTime() - start;
        connection.meters.success(operation, nanos);
        lastOperation = operation;
        return wrap(resultSet, operation,
                connection.telemetry.slowQueries().isSlow(nanos) ? new SlowQueryLog.Pending(sql, nanos) : null);
    }

    final void logSlow(String sql, int operation, long nanos, long rows) {
        try {
            connection.telemetry.slowQueries().log(sql, operation, nanos, rows);
        } catch (Throwable error) {
            connection.telemetry.errors().record(error);
        }
    }

    private long updateCountOrUnknown() {
        try {
            return delegate.getUpdateCount();
        } catch (SQLException | RuntimeException error) {
            return SlowQueryLog.UNKNOWN_ROWS;
        }
    }

    private ResultSet wrap(ResultSet resultSet, int operation, SlowQueryLog.Pending slow) {
        if (resultSet == null) {
            return null;
        }
        try {
            closeCurrent();
            current = new MonitoredResultSet(resultSet, this, operation, slow);
            return current;
        } catch (Throwable error) {
            connection.telemetry.errors().record(error);
            return resultSet;
        }
    }

    /** The driver closes the current result set when the statement runs again or moves on: record its rows. */
    private void closeCurrent() {
        MonitoredResultSet open = current;
        if (open != null) {
            current = null;
            open.closedWithStatement();
        }
    }

    final void batchAdded(String sql) {
        if (batchSize++ == 0) {
            batchSql = sql;
        }
    }

    private int takeBatchSize() {
        int size = batchSize;
        batchSize = 0;
        return size;
    }

    /** Called by the connection's close: the driver closes this statement, so record what is still open. */
    final void closedWithConnection() {
        closed = true;
        closeCurrent();
    }

    // ---- executions ----

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        int operation = Operations.of(sql);
        long start = System.nanoTime();
        ResultSet resultSet;
        try {
            resultSet = delegate.executeQuery(sql);
        } catch (Throwable failure) {
            failed(operation, start, failure);
            throw failure;
        }
        return queried(operation, start, sql, resultSet);
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        int operation = Operations.of(sql);
        long start = System.nanoTime();
        int rows;
        try {
            rows = delegate.executeUpdate(sql);
        } catch (Throwable failure) {
            failed(operation, start, failure);
            throw failure;
        }
        succeeded(operation, start, sql, rows);
        return rows;
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        int operation = Operations.of(sql);
        long start = System.nanoTime();
        int rows;
        try {
            rows = delegate.executeUpdate(sql, autoGeneratedKeys);
        } catch (Throwable failure) {
            failed(operation, start, failure);
            throw failure;
        }
        succeeded(operation, start, sql, rows);
        return rows;
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        int operation = Operations.of(sql);
        long start = System.nanoTime();
        int rows;
        try {
            rows = delegate.executeUpdate(sql, columnIndexes);
        } catch (Throwable failure) {
            failed(operation, start, failure);
            throw failure;
        }
        succeeded(operation, start, sql, rows);
        return rows;
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        int operation = Operations.of(sql);
        long start = System.nanoTime();
        int rows;
        try {
            rows = delegate.executeUpdate(sql, columnNames);
        } catch (Throwable failure) {
            failed(operation, start, failure);
            throw failure;
        }
        succeeded(operation, start, sql, rows);
        return rows;
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        int operation = Operations.of(sql);
        long start = System.nanoTime();
        long rows;
        try {
            rows = delegate.executeLargeUpdate(sql);
        } catch (Throwable failure) {
            failed(operation, start, failure);
            throw failure;
        }
        succeeded(operation, start, sql, rows);
        return rows;
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        int operation = Operations.of(sql);
        long start = System.nanoTime();
        long rows;
        try {
            rows = delegate.executeLargeUpdate(sql, autoGeneratedKeys);
        } catch (Throwable failure) {
            failed(operation, start, failure);
            throw failure;
        }
        succeeded(operation, start, sql, rows);
        return rows;
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        int operation = Operations.of(sql);
        long start = System.nanoTime();
        long rows;
        try {
            rows = delegate.executeLargeUpdate(sql, columnIndexes);
        } catch (Throwable failure) {
            failed(operation, start, failure);
            throw failure;
        }
        succeeded(operation, start, sql, rows);
        return rows;
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        int operation = Operations.of(sql);
        long start = System.nanoTime();
        long rows;
        try {
            rows = delegate.executeLargeUpdate(sql, columnNames);
        } catch (Throwable failure) {
            failed(operation, start, failure);
            throw failure;
        }
        succeeded(operation, start, sql, rows);
        return rows;
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        int operation = Operations.of(sql);
        closeCurrent();
        long start = System.nanoTime();
        boolean hasResultSet;
        try {
            hasResultSet = delegate.execute(sql);
        } catch (Throwable failure) {
            failed(operation, start, failure);
            throw failure;
        }
        executed(operation, start, sql, hasResultSet);
        return hasResultSet;
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        int operation = Operations.of(sql);
        closeCurrent();
        long start = System.nanoTime();
        boolean hasResultSet;
        try {
            hasResultSet = delegate.execute(sql, autoGeneratedKeys);
        } catch (Throwable failure) {
            failed(operation, start, failure);
            throw failure;
        }
        executed(operation, start, sql, hasResultSet);
        return hasResultSet;
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        int operation = Operations.of(sql);
        closeCurrent();
        long start = System.nanoTime();
        boolean hasResultSet;
        try {
            hasResultSet = delegate.execute(sql, columnIndexes);
        } catch (Throwable failure) {
            failed(operation, start, failure);
            throw failure;
        }
        executed(operation, start, sql, hasResultSet);
        return hasResultSet;
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        int operation = Operations.of(sql);
        closeCurrent();
        long start = System.nanoTime();
        boolean hasResultSet;
        try {
            hasResultSet = delegate.execute(sql, columnNames);
        } catch (Throwable failure) {
            failed(operation, start, failure);
            throw failure;
        }
        executed(operation, start, sql, hasResultSet);
        return hasResultSet;
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        delegate.addBatch(sql);
        batchAdded(sql);
    }

    @Override
    public void clearBatch() throws SQLException {
        delegate.clearBatch();
        batchSize = 0;
        batchSql = null;
    }

    @Override
    public int[] executeBatch() throws SQLException {
        int size = takeBatchSize();
        long start = System.nanoTime();
        int[] counts;
        try {
            counts = delegate.executeBatch();
        } catch (Throwable failure) {
            failed(Operations.BATCH, start, failure);
            throw failure;
        }
        connection.meters.batch(size);
        succeeded(Operations.BATCH, start, batchSql, size);
        return counts;
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        int size = takeBatchSize();
        long start = System.nanoTime();
        long[] counts;
        try {
            counts = delegate.executeLargeBatch();
        } catch (Throwable failure) {
            failed(Operations.BATCH, start, failure);
            throw failure;
        }
        connection.meters.batch(size);
        succeeded(Operations.BATCH, start, batchSql, size);
        return counts;
    }

    // ---- results ----

    @Override
    public ResultSet getResultSet() throws SQLException {
        ResultSet resultSet = delegate.getResultSet();
        if (resultSet == null) {
            return null;
        }
        MonitoredResultSet open = current;
        if (open != null && open.delegate == resultSet) {
            return open;
        }
        SlowQueryLog.Pending slow = pendingSlow;
        pendingSlow = null;
        return wrap(resultSet, lastOperation, slow);
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        closeCurrent();
        return delegate.getMoreResults();
    }

    @Override
    public boolean getMoreResults(int mode) throws SQLException {
        if (mode == Statement.CLOSE_CURRENT_RESULT) {
            closeCurrent();
        }
        return delegate.getMoreResults(mode);
    }

    /** Generated keys are wrapped for {@code getStatement()} but not counted as returned rows. */
    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        ResultSet keys = delegate.getGeneratedKeys();
        return keys == null ? null : new MonitoredResultSet(keys, this, MonitoredResultSet.NOT_COUNTED, null);
    }

    // ---- lifecycle and wrapper contract ----

    @Override
    public Connection getConnection() throws SQLException {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        if (!closed) {
            closed = true;
            closeCurrent();
            connection.untrack(this);
        }
        delegate.close();
    }

    /** Also true once the connection closed: drivers differ in whether their statement then says so. */
    @Override
    public boolean isClosed() throws SQLException {
        return closed || delegate.isClosed();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return Unwrapping.unwrap(delegate, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return Unwrapping.isWrapperFor(delegate, iface);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }

    // ---- plain delegation below: no Vigil logic ----

    @Override
    public void cancel() throws SQLException {
        delegate.cancel();
    }

    @Override
    public void clearWarnings() throws SQLException {
        delegate.clearWarnings();
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        delegate.closeOnCompletion();
    }

    @Override
    public String enquoteIdentifier(String p0, boolean p1) throws SQLException {
        return delegate.enquoteIdentifier(p0, p1);
    }

    @Override
    public String enquoteLiteral(String p0) throws SQLException {
        return delegate.enquoteLiteral(p0);
    }

    @Override
    public String enquoteNCharLiteral(String p0) throws SQLException {
        return delegate.enquoteNCharLiteral(p0);
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return delegate.getFetchDirection();
    }

    @Override
    public int getFetchSize() throws SQLException {
        return delegate.getFetchSize();
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        return delegate.getLargeMaxRows();
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        return delegate.getLargeUpdateCount();
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        return delegate.getMaxFieldSize();
    }

    @Override
    public int getMaxRows() throws SQLException {
        return delegate.getMaxRows();
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        return delegate.getQueryTimeout();
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        return delegate.getResultSetConcurrency();
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        return delegate.getResultSetHoldability();
    }

    @Override
    public int getResultSetType() throws SQLException {
        return delegate.getResultSetType();
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return delegate.getUpdateCount();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return delegate.getWarnings();
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        return delegate.isCloseOnCompletion();
    }

    @Override
    public boolean isPoolable() throws SQLException {
        return delegate.isPoolable();
    }

    @Override
    public boolean isSimpleIdentifier(String p0) throws SQLException {
        return delegate.isSimpleIdentifier(p0);
    }

    @Override
    public void setCursorName(String p0) throws SQLException {
        delegate.setCursorName(p0);
    }

    @Override
    public void setEscapeProcessing(boolean p0) throws SQLException {
        delegate.setEscapeProcessing(p0);
    }

    @Override
    public void setFetchDirection(int p0) throws SQLException {
        delegate.setFetchDirection(p0);
    }

    @Override
    public void setFetchSize(int p0) throws SQLException {
        delegate.setFetchSize(p0);
    }

    @Override
    public void setLargeMaxRows(long p0) throws SQLException {
        delegate.setLargeMaxRows(p0);
    }

    @Override
    public void setMaxFieldSize(int p0) throws SQLException {
        delegate.setMaxFieldSize(p0);
    }

    @Override
    public void setMaxRows(int p0) throws SQLException {
        delegate.setMaxRows(p0);
    }

    @Override
    public void setPoolable(boolean p0) throws SQLException {
        delegate.setPoolable(p0);
    }

    @Override
    public void setQueryTimeout(int p0) throws SQLException {
        delegate.setQueryTimeout(p0);
    }
}
