package io.vigil.jdbc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.concurrent.Executor;

/**
 * A connection handed out by {@link MonitoredDataSource}. Statements it creates are monitored; explicit
 * {@code commit()} / {@code rollback()} on a connection that is not in auto-commit mode count as transactions;
 * {@code close()} records the use time, closes the statement wrappers it still tracks (recording their rows, as
 * the driver closes their delegates) and closes the delegate. Everything else is plain delegation.
 */
final class MonitoredConnection implements Connection {

    private static final int AUTO_COMMIT_UNKNOWN = -1;
    private static final VarHandle SOLO;

    static {
        try {
            SOLO = MethodHandles.lookup().findVarHandle(MonitoredConnection.class, "solo", MonitoredStatement.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Connection delegate;
    final DataSourceTelemetry telemetry;
    final OperationMeters meters;
    private final long acquiredAtNanos;
    private final Throwable acquiredAt;
    /**
     * The usual case, one statement open at a time (prepare, run, close, then the next): it is tracked here with
     * one compare-and-set to claim and one to release, instead of taking the connection's lock twice.
     */
    private volatile MonitoredStatement solo;
    /** Head of the other statements still open, linked through their own fields so tracking allocates nothing. */
    private MonitoredStatement openStatements;
    /**
     * The SQL this connection prepared last and its operation: applications prepare the same few SQL strings (the
     * same String instances) again and again, so an identity check here usually replaces the DataSource's
     * per-SQL map lookup. One immutable entry in one field: a racing thread sees a consistent pair.
     */
    private OperationCache.Entry lastPrepared;
    private volatile boolean closed;
    private volatile boolean leakReported;
    private int autoCommit = AUTO_COMMIT_UNKNOWN;

    MonitoredConnection(Connection delegate, DataSourceTelemetry telemetry, OperationMeters meters,
            long acquiredAtNanos, Throwable acquiredAt) {
        this.delegate = delegate;
        this.telemetry = telemetry;
        this.meters = meters;
        this.acquiredAtNanos = acquiredAtNanos;
        this.acquiredAt = acquiredAt;
    }

    long acquiredAtNanos() {
        return acquiredAtNanos;
    }

    /** Where the connection was acquired; captured only when leak detection is on. */
    Throwable acquiredAt() {
        return acquiredAt;
    }

    /** True the first time only: a leak is reported once per connection. */
    boolean markLeakReported() {
        if (leakReported) {
            return false;
        }
        leakReported = true;
        return true;
    }

    /** The {@code db.operation} index of SQL this connection prepares. */
    int operationOf(String sql) {
        OperationCache.Entry last = lastPrepared;
        if (last != null && last.sql() == sql) {
            return last.operation();
        }
        if (sql == null) {
            return telemetry.operations().of(null);
        }
        OperationCache.Entry entry = telemetry.operations().entry(sql);
        if (entry == null) {
            return Operations.of(sql); // not cacheable: parsed each time, as before
        }
        lastPrepared = entry;
        return entry.operation();
    }

    private <S extends MonitoredStatement> S track(S statement) {
        if (solo == null && SOLO.compareAndSet(this, null, statement)) {
            return statement;
        }
        synchronized (this) { // per connection: a connection is used by one thread at a time
            statement.nextOpen = openStatements;
            if (openStatements != null) {
                openStatements.previousOpen = statement;
            }
            openStatements = statement;
        }
        return statement;
    }

    void untrack(MonitoredStatement statement) {
        if (solo == statement && SOLO.compareAndSet(this, statement, null)) {
            return;
        }
        synchronized (this) {
            if (statement.previousOpen != null) {
                statement.previousOpen.nextOpen = statement.nextOpen;
            } else if (openStatements == statement) {
                openStatements = statement.nextOpen;
            } else {
                return; // not tracked (already untracked)
            }
            if (statement.nextOpen != null) {
                statement.nextOpen.previousOpen = statement.previousOpen;
            }
            statement.previousOpen = null;
            statement.nextOpen = null;
        }
    }

    // ---- statements ----

    @Override
    public Statement createStatement() throws SQLException {
        return track(new MonitoredStatement(delegate.createStatement(), this));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        return track(new MonitoredStatement(delegate.createStatement(resultSetType, resultSetConcurrency), this));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return track(new MonitoredStatement(
                delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability), this));
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return track(new MonitoredPreparedStatement(delegate.prepareStatement(sql), this, sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        return track(new MonitoredPreparedStatement(
                delegate.prepareStatement(sql, resultSetType, resultSetConcurrency), this, sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        return track(new MonitoredPreparedStatement(
                delegate.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability), this, sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return track(new MonitoredPreparedStatement(delegate.prepareStatement(sql, autoGeneratedKeys), this, sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return track(new MonitoredPreparedStatement(delegate.prepareStatement(sql, columnIndexes), this, sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return track(new MonitoredPreparedStatement(delegate.prepareStatement(sql, columnNames), this, sql));
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return track(new MonitoredCallableStatement(delegate.prepareCall(sql), this, sql));
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        return track(new MonitoredCallableStatement(
                delegate.prepareCall(sql, resultSetType, resultSetConcurrency), this, sql));
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        return track(new MonitoredCallableStatement(
                delegate.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability), this, sql));
    }

    // ---- transactions ----

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        delegate.setAutoCommit(autoCommit);
        this.autoCommit = autoCommit ? 1 : 0;
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        boolean value = delegate.getAutoCommit();
        this.autoCommit = value ? 1 : 0;
        return value;
    }

    @Override
    public void commit() throws SQLException {
        delegate.commit();
        if (inTransaction()) {
            meters.commit();
        }
    }

    @Override
    public void rollback() throws SQLException {
        delegate.rollback();
        if (inTransaction()) {
            meters.rollback();
        }
    }

    /** Not in auto-commit mode; asks the driver once if the application never said. */
    private boolean inTransaction() {
        if (autoCommit == AUTO_COMMIT_UNKNOWN) {
            try {
                autoCommit = delegate.getAutoCommit() ? 1 : 0;
            } catch (SQLException | RuntimeException error) {
                telemetry.errors().record(error);
                return false;
            }
        }
        return autoCommit == 0;
    }

    // ---- lifecycle and wrapper contract ----

    @Override
    public void close() throws SQLException {
        if (closed) {
            delegate.close();
            return;
        }
        closed = true;
        try {
            delegate.close();
        } finally {
            closeTrackedStatements();
            telemetry.released(this);
        }
    }

    private void closeTrackedStatements() {
        MonitoredStatement only = (MonitoredStatement) SOLO.getAndSet(this, null);
        if (only != null) {
            only.closedWithConnection();
        }
        MonitoredStatement statement;
        synchronized (this) {
            statement = openStatements;
            openStatements = null;
        }
        while (statement != null) {
            MonitoredStatement next;
            synchronized (this) {
                next = statement.nextOpen;
                statement.previousOpen = null;
                statement.nextOpen = null;
            }
            statement.closedWithConnection();
            statement = next;
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        return delegate.isClosed();
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
        return "MonitoredConnection[" + delegate + "]";
    }

    // ---- plain delegation below: no Vigil logic ----

    @Override
    public void abort(java.util.concurrent.Executor p0) throws SQLException {
        delegate.abort(p0);
    }

    @Override
    public void beginRequest() throws SQLException {
        delegate.beginRequest();
    }

    @Override
    public void clearWarnings() throws SQLException {
        delegate.clearWarnings();
    }

    @Override
    public Array createArrayOf(String p0, Object[] p1) throws SQLException {
        return delegate.createArrayOf(p0, p1);
    }

    @Override
    public Blob createBlob() throws SQLException {
        return delegate.createBlob();
    }

    @Override
    public Clob createClob() throws SQLException {
        return delegate.createClob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return delegate.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return delegate.createSQLXML();
    }

    @Override
    public Struct createStruct(String p0, Object[] p1) throws SQLException {
        return delegate.createStruct(p0, p1);
    }

    @Override
    public void endRequest() throws SQLException {
        delegate.endRequest();
    }

    @Override
    public String getCatalog() throws SQLException {
        return delegate.getCatalog();
    }

    @Override
    public java.util.Properties getClientInfo() throws SQLException {
        return delegate.getClientInfo();
    }

    @Override
    public String getClientInfo(String p0) throws SQLException {
        return delegate.getClientInfo(p0);
    }

    @Override
    public int getHoldability() throws SQLException {
        return delegate.getHoldability();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return delegate.getMetaData();
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return delegate.getNetworkTimeout();
    }

    @Override
    public String getSchema() throws SQLException {
        return delegate.getSchema();
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return delegate.getTransactionIsolation();
    }

    @Override
    public java.util.Map<String, Class<?>> getTypeMap() throws SQLException {
        return delegate.getTypeMap();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return delegate.getWarnings();
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return delegate.isReadOnly();
    }

    @Override
    public boolean isValid(int p0) throws SQLException {
        return delegate.isValid(p0);
    }

    @Override
    public String nativeSQL(String p0) throws SQLException {
        return delegate.nativeSQL(p0);
    }

    @Override
    public void releaseSavepoint(Savepoint p0) throws SQLException {
        delegate.releaseSavepoint(p0);
    }

    @Override
    public void rollback(Savepoint p0) throws SQLException {
        delegate.rollback(p0);
    }

    @Override
    public void setCatalog(String p0) throws SQLException {
        delegate.setCatalog(p0);
    }

    @Override
    public void setClientInfo(java.util.Properties p0) throws SQLClientInfoException {
        delegate.setClientInfo(p0);
    }

    @Override
    public void setClientInfo(String p0, String p1) throws SQLClientInfoException {
        delegate.setClientInfo(p0, p1);
    }

    @Override
    public void setHoldability(int p0) throws SQLException {
        delegate.setHoldability(p0);
    }

    @Override
    public void setNetworkTimeout(java.util.concurrent.Executor p0, int p1) throws SQLException {
        delegate.setNetworkTimeout(p0, p1);
    }

    @Override
    public void setReadOnly(boolean p0) throws SQLException {
        delegate.setReadOnly(p0);
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return delegate.setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String p0) throws SQLException {
        return delegate.setSavepoint(p0);
    }

    @Override
    public void setSchema(String p0) throws SQLException {
        delegate.setSchema(p0);
    }

    @Override
    public void setShardingKey(ShardingKey p0) throws SQLException {
        delegate.setShardingKey(p0);
    }

    @Override
    public void setShardingKey(ShardingKey p0, ShardingKey p1) throws SQLException {
        delegate.setShardingKey(p0, p1);
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey p0, ShardingKey p1, int p2) throws SQLException {
        return delegate.setShardingKeyIfValid(p0, p1, p2);
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey p0, int p1) throws SQLException {
        return delegate.setShardingKeyIfValid(p0, p1);
    }

    @Override
    public void setTransactionIsolation(int p0) throws SQLException {
        delegate.setTransactionIsolation(p0);
    }

    @Override
    public void setTypeMap(java.util.Map<String, Class<?>> p0) throws SQLException {
        delegate.setTypeMap(p0);
    }
}
