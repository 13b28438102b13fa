package io.vigil.benchmarks;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

/**
 * The one statement of a {@link StubConnection}, reopened for each SQL string it is prepared with: binds are
 * ignored, every execution is counted and answers one row ({@link StubResultSet}) or one updated row. Every
 * method not written out below answers its type's default (nothing, {@code false}, 0 or {@code null}).
 */
final class StubPreparedStatement implements PreparedStatement {

    private final StubConnection connection;
    private final StubResultSet resultSet = new StubResultSet(this);
    private long executions;
    private boolean closed;

    StubPreparedStatement(StubConnection connection) {
        this.connection = connection;
    }

    StubPreparedStatement reopen() {
        closed = false;
        return this;
    }

    long executions() {
        return executions;
    }

    @Override
    public ResultSet executeQuery() {
        executions++;
        return resultSet.reopen();
    }

    @Override
    public ResultSet executeQuery(String sql) {
        executions++;
        return resultSet.reopen();
    }

    @Override
    public int executeUpdate() {
        executions++;
        return 1;
    }

    @Override
    public int executeUpdate(String sql) {
        executions++;
        return 1;
    }

    @Override
    public boolean execute() {
        executions++;
        resultSet.reopen();
        return true;
    }

    @Override
    public boolean execute(String sql) {
        executions++;
        resultSet.reopen();
        return true;
    }

    @Override
    public ResultSet getResultSet() {
        return resultSet;
    }

    @Override
    public int getUpdateCount() {
        return -1;
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("StubPreparedStatement is not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "StubPreparedStatement";
    }

    // ---- everything else: the type's default ----

    @Override
    public void addBatch() throws SQLException {
    }

    @Override
    public void addBatch(String p0) throws SQLException {
    }

    @Override
    public void cancel() throws SQLException {
    }

    @Override
    public void clearBatch() throws SQLException {
    }

    @Override
    public void clearParameters() throws SQLException {
    }

    @Override
    public void clearWarnings() throws SQLException {
    }

    @Override
    public void closeOnCompletion() throws SQLException {
    }

    @Override
    public boolean execute(String p0, String[] p1) throws SQLException {
        return false;
    }

    @Override
    public boolean execute(String p0, int p1) throws SQLException {
        return false;
    }

    @Override
    public boolean execute(String p0, int[] p1) throws SQLException {
        return false;
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return null;
    }

    @Override
    public int executeUpdate(String p0, String[] p1) throws SQLException {
        return 0;
    }

    @Override
    public int executeUpdate(String p0, int p1) throws SQLException {
        return 0;
    }

    @Override
    public int executeUpdate(String p0, int[] p1) throws SQLException {
        return 0;
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return 0;
    }

    @Override
    public int getFetchSize() throws SQLException {
        return 0;
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        return null;
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        return 0;
    }

    @Override
    public int getMaxRows() throws SQLException {
        return 0;
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return null;
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return false;
    }

    @Override
    public boolean getMoreResults(int p0) throws SQLException {
        return false;
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        return null;
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        return 0;
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        return 0;
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        return 0;
    }

    @Override
    public int getResultSetType() throws SQLException {
        return 0;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return null;
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        return false;
    }

    @Override
    public boolean isPoolable() throws SQLException {
        return false;
    }

    @Override
    public void setArray(int p0, Array p1) throws SQLException {
    }

    @Override
    public void setAsciiStream(int p0, InputStream p1) throws SQLException {
    }

    @Override
    public void setAsciiStream(int p0, InputStream p1, int p2) throws SQLException {
    }

    @Override
    public void setAsciiStream(int p0, InputStream p1, long p2) throws SQLException {
    }

    @Override
    public void setBigDecimal(int p0, BigDecimal p1) throws SQLException {
    }

    @Override
    public void setBinaryStream(int p0, InputStream p1) throws SQLException {
    }

    @Override
    public void setBinaryStream(int p0, InputStream p1, int p2) throws SQLException {
    }

    @Override
    public void setBinaryStream(int p0, InputStream p1, long p2) throws SQLException {
    }

    @Override
    public void setBlob(int p0, Blob p1) throws SQLException {
    }

    @Override
    public void setBlob(int p0, InputStream p1) throws SQLException {
    }

    @Override
    public void setBlob(int p0, InputStream p1, long p2) throws SQLException {
    }

    @Override
    public void setBoolean(int p0, boolean p1) throws SQLException {
    }

    @Override
    public void setByte(int p0, byte p1) throws SQLException {
    }

    @Override
    public void setBytes(int p0, byte[] p1) throws SQLException {
    }

    @Override
    public void setCharacterStream(int p0, Reader p1) throws SQLException {
    }

    @Override
    public void setCharacterStream(int p0, Reader p1, int p2) throws SQLException {
    }

    @Override
    public void setCharacterStream(int p0, Reader p1, long p2) throws SQLException {
    }

    @Override
    public void setClob(int p0, Clob p1) throws SQLException {
    }

    @Override
    public void setClob(int p0, Reader p1) throws SQLException {
    }

    @Override
    public void setClob(int p0, Reader p1, long p2) throws SQLException {
    }

    @Override
    public void setCursorName(String p0) throws SQLException {
    }

    @Override
    public void setDate(int p0, Date p1) throws SQLException {
    }

    @Override
    public void setDate(int p0, Date p1, Calendar p2) throws SQLException {
    }

    @Override
    public void setDouble(int p0, double p1) throws SQLException {
    }

    @Override
    public void setEscapeProcessing(boolean p0) throws SQLException {
    }

    @Override
    public void setFetchDirection(int p0) throws SQLException {
    }

    @Override
    public void setFetchSize(int p0) throws SQLException {
    }

    @Override
    public void setFloat(int p0, float p1) throws SQLException {
    }

    @Override
    public void setInt(int p0, int p1) throws SQLException {
    }

    @Override
    public void setLong(int p0, long p1) throws SQLException {
    }

    @Override
    public void setMaxFieldSize(int p0) throws SQLException {
    }

    @Override
    public void setMaxRows(int p0) throws SQLException {
    }

    @Override
    public void setNCharacterStream(int p0, Reader p1) throws SQLException {
    }

    @Override
    public void setNCharacterStream(int p0, Reader p1, long p2) throws SQLException {
    }

    @Override
    public void setNClob(int p0, NClob p1) throws SQLException {
    }

    @Override
    public void setNClob(int p0, Reader p1) throws SQLException {
    }

    @Override
    public void setNClob(int p0, Reader p1, long p2) throws SQLException {
    }

    @Override
    public void setNString(int p0, String p1) throws SQLException {
    }

    @Override
    public void setNull(int p0, int p1) throws SQLException {
    }

    @Override
    public void setNull(int p0, int p1, String p2) throws SQLException {
    }

    @Override
    public void setObject(int p0, Object p1) throws SQLException {
    }

    @Override
    public void setObject(int p0, Object p1, int p2) throws SQLException {
    }

    @Override
    public void setObject(int p0, Object p1, int p2, int p3) throws SQLException {
    }

    @Override
    public void setPoolable(boolean p0) throws SQLException {
    }

    @Override
    public void setQueryTimeout(int p0) throws SQLException {
    }

    @Override
    public void setRef(int p0, Ref p1) throws SQLException {
    }

    @Override
    public void setRowId(int p0, RowId p1) throws SQLException {
    }

    @Override
    public void setSQLXML(int p0, SQLXML p1) throws SQLException {
    }

    @Override
    public void setShort(int p0, short p1) throws SQLException {
    }

    @Override
    public void setString(int p0, String p1) throws SQLException {
    }

    @Override
    public void setTime(int p0, Time p1) throws SQLException {
    }

    @Override
    public void setTime(int p0, Time p1, Calendar p2) throws SQLException {
    }

    @Override
    public void setTimestamp(int p0, Timestamp p1) throws SQLException {
    }

    @Override
    public void setTimestamp(int p0, Timestamp p1, Calendar p2) throws SQLException {
    }

    @Override
    public void setURL(int p0, URL p1) throws SQLException {
    }

    @Override
    public void setUnicodeStream(int p0, InputStream p1, int p2) throws SQLException {
    }
}
