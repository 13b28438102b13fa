package io.vigil.jdbc;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * A callable statement of a {@link MonitoredConnection}: executions are timed by {@link MonitoredPreparedStatement}
 * (usually {@code db.operation=CALL}); the out-parameter accessors below are plain delegation.
 */
final class MonitoredCallableStatement extends MonitoredPreparedStatement implements CallableStatement {

    final CallableStatement callable;

    MonitoredCallableStatement(CallableStatement delegate, MonitoredConnection connection, String sql) {
        super(delegate, connection, sql);
        this.callable = delegate;
    }

    // ---- plain delegation below: no Vigil logic ----

    @Override
    public Array getArray(String p0) throws SQLException {
        return callable.getArray(p0);
    }

    @Override
    public Array getArray(int p0) throws SQLException {
        return callable.getArray(p0);
    }

    @Override
    public java.math.BigDecimal getBigDecimal(String p0) throws SQLException {
        return callable.getBigDecimal(p0);
    }

    @Override
    public java.math.BigDecimal getBigDecimal(int p0) throws SQLException {
        return callable.getBigDecimal(p0);
    }

    @Deprecated
    @SuppressWarnings("deprecation")
    @Override
    public java.math.BigDecimal getBigDecimal(int p0, int p1) throws SQLException {
        return callable.getBigDecimal(p0, p1);
    }

    @Override
    public Blob getBlob(String p0) throws SQLException {
        return callable.getBlob(p0);
    }

    @Override
    public Blob getBlob(int p0) throws SQLException {
        return callable.getBlob(p0);
    }

    @Override
    public boolean getBoolean(String p0) throws SQLException {
        return callable.getBoolean(p0);
    }

    @Override
    public boolean getBoolean(int p0) throws SQLException {
        return callable.getBoolean(p0);
    }

    @Override
    public byte getByte(String p0) throws SQLException {
        return callable.getByte(p0);
    }

    @Override
    public byte getByte(int p0) throws SQLException {
        return callable.getByte(p0);
    }

    @Override
    public byte[] getBytes(String p0) throws SQLException {
        return callable.getBytes(p0);
    }

    @Override
    public byte[] getBytes(int p0) throws SQLException {
        return callable.getBytes(p0);
    }

    @Override
    public java.io.Reader getCharacterStream(String p0) throws SQLException {
        return callable.getCharacterStream(p0);
    }

    @Override
    public java.io.Reader getCharacterStream(int p0) throws SQLException {
        return callable.getCharacterStream(p0);
    }

    @Override
    public Clob getClob(String p0) throws SQLException {
        return callable.getClob(p0);
    }

    @Override
    public Clob getClob(int p0) throws SQLException {
        return callable.getClob(p0);
    }

    @Override
    public Date getDate(String p0) throws SQLException {
        return callable.getDate(p0);
    }

    @Override
    public Date getDate(String p0, java.util.Calendar p1) throws SQLException {
        return callable.getDate(p0, p1);
    }

    @Override
    public Date getDate(int p0) throws SQLException {
        return callable.getDate(p0);
    }

    @Override
    public Date getDate(int p0, java.util.Calendar p1) throws SQLException {
        return callable.getDate(p0, p1);
    }

    @Override
    public double getDouble(String p0) throws SQLException {
        return callable.getDouble(p0);
    }

    @Override
    public double getDouble(int p0) throws SQLException {
        return callable.getDouble(p0);
    }

    @Override
    public float getFloat(String p0) throws SQLException {
        return callable.getFloat(p0);
    }

    @Override
    public float getFloat(int p0) throws SQLException {
        return callable.getFloat(p0);
    }

    @Override
    public int getInt(String p0) throws SQLException {
        return callable.getInt(p0);
    }

    @Override
    public int getInt(int p0) throws SQLException {
        return callable.getInt(p0);
    }

    @Override
    public long getLong(String p0) throws SQLException {
        return callable.getLong(p0);
    }

    @Override
    public long getLong(int p0) throws SQLException {
        return callable.getLong(p0);
    }

    @Override
    public java.io.Reader getNCharacterStream(String p0) throws SQLException {
        return callable.getNCharacterStream(p0);
    }

    @Override
    public java.io.Reader getNCharacterStream(int p0) throws SQLException {
        return callable.getNCharacterStream(p0);
    }

    @Override
    public NClob getNClob(String p0) throws SQLException {
        return callable.getNClob(p0);
    }

    @Override
    public NClob getNClob(int p0) throws SQLException {
        return callable.getNClob(p0);
    }

    @Override
    public String getNString(String p0) throws SQLException {
        return callable.getNString(p0);
    }

    @Override
    public String getNString(int p0) throws SQLException {
        return callable.getNString(p0);
    }

    @Override
    public Object getObject(String p0) throws SQLException {
        return callable.getObject(p0);
    }

    @Override
    public <T> T getObject(String p0, Class<T> p1) throws SQLException {
        return callable.getObject(p0, p1);
    }

    @Override
    public Object getObject(String p0, java.util.Map<String, Class<?>> p1) throws SQLException {
        return callable.getObject(p0, p1);
    }

    @Override
    public Object getObject(int p0) throws SQLException {
        return callable.getObject(p0);
    }

    @Override
    public <T> T getObject(int p0, Class<T> p1) throws SQLException {
        return callable.getObject(p0, p1);
    }

    @Override
    public Object getObject(int p0, java.util.Map<String, Class<?>> p1) throws SQLException {
        return callable.getObject(p0, p1);
    }

    @Override
    public Ref getRef(String p0) throws SQLException {
        return callable.getRef(p0);
    }

    @Override
    public Ref getRef(int p0) throws SQLException {
        return callable.getRef(p0);
    }

    @Override
    public RowId getRowId(String p0) throws SQLException {
        return callable.getRowId(p0);
    }

    @Override
    public RowId getRowId(int p0) throws SQLException {
        return callable.getRowId(p0);
    }

    @Override
    public SQLXML getSQLXML(String p0) throws SQLException {
        return callable.getSQLXML(p0);
    }

    @Override
    public SQLXML getSQLXML(int p0) throws SQLException {
        return callable.getSQLXML(p0);
    }

    @Override
    public short getShort(String p0) throws SQLException {
        return callable.getShort(p0);
    }

    @Override
    public short getShort(int p0) throws SQLException {
        return callable.getShort(p0);
    }

    @Override
    public String getString(String p0) throws SQLException {
        return callable.getString(p0);
    }

    @Override
    public String getString(int p0) throws SQLException {
        return callable.getString(p0);
    }

    @Override
    public Time getTime(String p0) throws SQLException {
        return callable.getTime(p0);
    }

    @Override
    public Time getTime(String p0, java.util.Calendar p1) throws SQLException {
        return callable.getTime(p0, p1);
    }

    @Override
    public Time getTime(int p0) throws SQLException {
        return callable.getTime(p0);
    }

    @Override
    public Time getTime(int p0, java.util.Calendar p1) throws SQLException {
        return callable.getTime(p0, p1);
    }

    @Override
    public Timestamp getTimestamp(String p0) throws SQLException {
        return callable.getTimestamp(p0);
    }

    @Override
    public Timestamp getTimestamp(String p0, java.util.Calendar p1) throws SQLException {
        return callable.getTimestamp(p0, p1);
    }

    @Override
    public Timestamp getTimestamp(int p0) throws SQLException {
        return callable.getTimestamp(p0);
    }

    @Override
    public Timestamp getTimestamp(int p0, java.util.Calendar p1) throws SQLException {
        return callable.getTimestamp(p0, p1);
    }

    @Override
    public java.net.URL getURL(String p0) throws SQLException {
        return callable.getURL(p0);
    }

    @Override
    public java.net.URL getURL(int p0) throws SQLException {
        return callable.getURL(p0);
    }

    @Override
    public void registerOutParameter(String p0, SQLType p1) throws SQLException {
        callable.registerOutParameter(p0, p1);
    }

    @Override
    public void registerOutParameter(String p0, SQLType p1, String p2) throws SQLException {
        callable.registerOutParameter(p0, p1, p2);
    }

    @Override
    public void registerOutParameter(String p0, SQLType p1, int p2) throws SQLException {
        callable.registerOutParameter(p0, p1, p2);
    }

    @Override
    public void registerOutParameter(String p0, int p1) throws SQLException {
        callable.registerOutParameter(p0, p1);
    }

    @Override
    public void registerOutParameter(String p0, int p1, String p2) throws SQLException {
        callable.registerOutParameter(p0, p1, p2);
    }

    @Override
    public void registerOutParameter(String p0, int p1, int p2) throws SQLException {
        callable.registerOutParameter(p0, p1, p2);
    }

    @Override
    public void registerOutParameter(int p0, SQLType p1) throws SQLException {
        callable.registerOutParameter(p0, p1);
    }

    @Override
    public void registerOutParameter(int p0, SQLType p1, String p2) throws SQLException {
        callable.registerOutParameter(p0, p1, p2);
    }

    @Override
    public void registerOutParameter(int p0, SQLType p1, int p2) throws SQLException {
        callable.registerOutParameter(p0, p1, p2);
    }

    @Override
    public void registerOutParameter(int p0, int p1) throws SQLException {
        callable.registerOutParameter(p0, p1);
    }

    @Override
    public void registerOutParameter(int p0, int p1, String p2) throws SQLException {
        callable.registerOutParameter(p0, p1, p2);
    }

    @Override
    public void registerOutParameter(int p0, int p1, int p2) throws SQLException {
        callable.registerOutParameter(p0, p1, p2);
    }

    @Override
    public void setAsciiStream(String p0, java.io.InputStream p1) throws SQLException {
        callable.setAsciiStream(p0, p1);
    }

    @Override
    public void setAsciiStream(String p0, java.io.InputStream p1, int p2) throws SQLException {
        callable.setAsciiStream(p0, p1, p2);
    }

    @Override
    public void setAsciiStream(String p0, java.io.InputStream p1, long p2) throws SQLException {
        callable.setAsciiStream(p0, p1, p2);
    }

    @Override
    public void setBigDecimal(String p0, java.math.BigDecimal p1) throws SQLException {
        callable.setBigDecimal(p0, p1);
    }

    @Override
    public void setBinaryStream(String p0, java.io.InputStream p1) throws SQLException {
        callable.setBinaryStream(p0, p1);
    }

    @Override
    public void setBinaryStream(String p0, java.io.InputStream p1, int p2) throws SQLException {
        callable.setBinaryStream(p0, p1, p2);
    }

    @Override
    public void setBinaryStream(String p0, java.io.InputStream p1, long p2) throws SQLException {
        callable.setBinaryStream(p0, p1, p2);
    }

    @Override
    public void setBlob(String p0, Blob p1) throws SQLException {
        callable.setBlob(p0, p1);
    }

    @Override
    public void setBlob(String p0, java.io.InputStream p1) throws SQLException {
        callable.setBlob(p0, p1);
    }

    @Override
    public void setBlob(String p0, java.io.InputStream p1, long p2) throws SQLException {
        callable.setBlob(p0, p1, p2);
    }

    @Override
    public void setBoolean(String p0, boolean p1) throws SQLException {
        callable.setBoolean(p0, p1);
    }

    @Override
    public void setByte(String p0, byte p1) throws SQLException {
        callable.setByte(p0, p1);
    }

    @Override
    public void setBytes(String p0, byte[] p1) throws SQLException {
        callable.setBytes(p0, p1);
    }

    @Override
    public void setCharacterStream(String p0, java.io.Reader p1) throws SQLException {
        callable.setCharacterStream(p0, p1);
    }

    @Override
    public void setCharacterStream(String p0, java.io.Reader p1, int p2) throws SQLException {
        callable.setCharacterStream(p0, p1, p2);
    }

    @Override
    public void setCharacterStream(String p0, java.io.Reader p1, long p2) throws SQLException {
        callable.setCharacterStream(p0, p1, p2);
    }

    @Override
    public void setClob(String p0, Clob p1) throws SQLException {
        callable.setClob(p0, p1);
    }

    @Override
    public void setClob(String p0, java.io.Reader p1) throws SQLException {
        callable.setClob(p0, p1);
    }

    @Override
    public void setClob(String p0, java.io.Reader p1, long p2) throws SQLException {
        callable.setClob(p0, p1, p2);
    }

    @Override
    public void setDate(String p0, Date p1) throws SQLException {
        callable.setDate(p0, p1);
    }

    @Override
    public void setDate(String p0, Date p1, java.util.Calendar p2) throws SQLException {
        callable.setDate(p0, p1, p2);
    }

    @Override
    public void setDouble(String p0, double p1) throws SQLException {
        callable.setDouble(p0, p1);
    }

    @Override
    public void setFloat(String p0, float p1) throws SQLException {
        callable.setFloat(p0, p1);
    }

    @Override
    public void setInt(String p0, int p1) throws SQLException {
        callable.setInt(p0, p1);
    }

    @Override
    public void setLong(String p0, long p1) throws SQLException {
        callable.setLong(p0, p1);
    }

    @Override
    public void setNCharacterStream(String p0, java.io.Reader p1) throws SQLException {
        callable.setNCharacterStream(p0, p1);
    }

    @Override
    public void setNCharacterStream(String p0, java.io.Reader p1, long p2) throws SQLException {
        callable.setNCharacterStream(p0, p1, p2);
    }

    @Override
    public void setNClob(String p0, NClob p1) throws SQLException {
        callable.setNClob(p0, p1);
    }

    @Override
    public void setNClob(String p0, java.io.Reader p1) throws SQLException {
        callable.setNClob(p0, p1);
    }

    @Override
    public void setNClob(String p0, java.io.Reader p1, long p2) throws SQLException {
        callable.setNClob(p0, p1, p2);
    }

    @Override
    public void setNString(String p0, String p1) throws SQLException {
        callable.setNString(p0, p1);
    }

    @Override
    public void setNull(String p0, int p1) throws SQLException {
        callable.setNull(p0, p1);
    }

    @Override
    public void setNull(String p0, int p1, String p2) throws SQLException {
        callable.setNull(p0, p1, p2);
    }

    @Override
    public void setObject(String p0, Object p1) throws SQLException {
        callable.setObject(p0, p1);
    }

    @Override
    public void setObject(String p0, Object p1, SQLType p2) throws SQLException {
        callable.setObject(p0, p1, p2);
    }

    @Override
    public void setObject(String p0, Object p1, SQLType p2, int p3) throws SQLException {
        callable.setObject(p0, p1, p2, p3);
    }

    @Override
    public void setObject(String p0, Object p1, int p2) throws SQLException {
        callable.setObject(p0, p1, p2);
    }

    @Override
    public void setObject(String p0, Object p1, int p2, int p3) throws SQLException {
        callable.setObject(p0, p1, p2, p3);
    }

    @Override
    public void setRowId(String p0, RowId p1) throws SQLException {
        callable.setRowId(p0, p1);
    }

    @Override
    public void setSQLXML(String p0, SQLXML p1) throws SQLException {
        callable.setSQLXML(p0, p1);
    }

    @Override
    public void setShort(String p0, short p1) throws SQLException {
        callable.setShort(p0, p1);
    }

    @Override
    public void setString(String p0, String p1) throws SQLException {
        callable.setString(p0, p1);
    }

    @Override
    public void setTime(String p0, Time p1) throws SQLException {
        callable.setTime(p0, p1);
    }

    @Override
    public void setTime(String p0, Time p1, java.util.Calendar p2) throws SQLException {
        callable.setTime(p0, p1, p2);
    }

    @Override
    public void setTimestamp(String p0, Timestamp p1) throws SQLException {
        callable.setTimestamp(p0, p1);
    }

    @Override
    public void setTimestamp(String p0, Timestamp p1, java.util.Calendar p2) throws SQLException {
        callable.setTimestamp(p0, p1, p2);
    }

    @Override
    public void setURL(String p0, java.net.URL p1) throws SQLException {
        callable.setURL(p0, p1);
    }

    @Override
    public boolean wasNull() throws SQLException {
        return callable.wasNull();
    }
}
