package io.vigil.alerts;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store in a relational database (tested on PostgreSQL and H2): five tables prefixed {@code vigil_}, created
 * when missing, plain portable SQL (no upsert dialects: a replace is a delete and an insert in one transaction).
 * Each mutating call is one committed transaction. Times are epoch milliseconds.
 */
final class JdbcDeliveryStore implements DeliveryStore {

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS vigil_pending (seq BIGINT PRIMARY KEY, channel VARCHAR(200) NOT NULL,"
                + " idem_key VARCHAR(1000) NOT NULL, created_at BIGINT NOT NULL, notification VARCHAR(1000000) NOT NULL)",
        "CREATE TABLE IF NOT EXISTS vigil_notification_log (channel VARCHAR(200) NOT NULL,"
                + " idem_key VARCHAR(1000) NOT NULL, receiver VARCHAR(200) NOT NULL, group_key VARCHAR(4000) NOT NULL,"
                + " outcome VARCHAR(20) NOT NULL, done_at BIGINT NOT NULL, PRIMARY KEY (channel, idem_key))",
        "CREATE TABLE IF NOT EXISTS vigil_silence (id VARCHAR(200) PRIMARY KEY, definition VARCHAR(1000000) NOT NULL,"
                + " ends_at BIGINT)",
        "CREATE TABLE IF NOT EXISTS vigil_acknowledgement (incident_key VARCHAR(1000) PRIMARY KEY,"
                + " acked_by VARCHAR(200) NOT NULL, acked_at BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS vigil_escalation (incident_key VARCHAR(1000) PRIMARY KEY,"
                + " state VARCHAR(1000000) NOT NULL)",
    };

    private final DataSource dataSource;
    private final Duration retention;
    private final int maxLogEntries;
    private long nextSeq;
    private int completionsSincePrune;

    JdbcDeliveryStore(DataSource dataSource, Duration retention, int maxLogEntries) {
        this.dataSource = dataSource;
        this.retention = retention;
        this.maxLogEntries = maxLogEntries;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String ddl : SCHEMA) {
                s.execute(ddl);
            }
            try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM vigil_pending")) {
                rs.next();
                nextSeq = rs.getLong(1) + 1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the JDBC delivery store: " + e.getMessage(), e);
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private synchronized <T> T transaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("JDBC delivery store: " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c, String sql, String channel, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, channel);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public Optional<PendingDelivery> addPending(String channel, String key, AlertNotification n, Instant now) {
        return transaction(c -> {
            if (exists(c, "SELECT 1 FROM vigil_pending WHERE channel = ? AND idem_key = ?", channel, key)
                    || exists(c, "SELECT 1 FROM vigil_notification_log WHERE channel = ? AND idem_key = ?", channel,
                    key)) {
                return Optional.empty();
            }
            long seq = nextSeq;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO vigil_pending (seq, channel, idem_key,"
                    + " created_at, notification) VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, seq);
                ps.setString(2, channel);
                ps.setString(3, key);
                ps.setLong(4, now.toEpochMilli());
                ps.setString(5, NotificationJson.toStored(n));
                ps.executeUpdate();
            }
            nextSeq = seq + 1;
            return Optional.of(new PendingDelivery(seq, channel, key, Instant.ofEpochMilli(now.toEpochMilli()), n));
        });
    }

    @Override
    public void complete(long seq, String outcome, Instant at) {
        transaction(c -> {
            String channel;
            String key;
            String stored;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT channel, idem_key, notification FROM vigil_pending WHERE seq = ?")) {
                ps.setLong(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    channel = rs.getString(1);
                    key = rs.getString(2);
                    stored = rs.getString(3);
                }
            }
            AlertNotification n = NotificationJson.fromStored(stored);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM vigil_pending WHERE seq = ?")) {
                ps.setLong(1, seq);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO vigil_notification_log (channel, idem_key,"
                    + " receiver, group_key, outcome, done_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, channel);
                ps.setString(2, key);
                ps.setString(3, n.receiver());
                ps.setString(4, n.groupKey());
                ps.setString(5, outcome);
                ps.setLong(6, at.toEpochMilli());
                ps.executeUpdate();
            }
            if (++completionsSincePrune >= 100) {
                completionsSincePrune = 0;
                prune(c, at);
            }
            return null;
        });
    }

    private void prune(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM vigil_notification_log WHERE done_at < ?")) {
            ps.setLong(1, now.minus(retention).toEpochMilli());
            ps.executeUpdate();
        }
        long count;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM vigil_notification_log")) {
            rs.next();
            count = rs.getLong(1);
        }
        if (count > maxLogEntries) {
            long cutoff;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT done_at FROM vigil_notification_log ORDER BY done_at DESC LIMIT 1 OFFSET ?")) {
                ps.setLong(1, maxLogEntries);
                try (ResultSet rs = ps.executeQuery()) {
                    cutoff = rs.next() ? rs.getLong(1) : Long.MIN_VALUE;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM vigil_notification_log WHERE done_at <= ?")) {
                ps.setLong(1, cutoff);
                ps.executeUpdate();
            }
        }
    }

    @Override
    public List<PendingDelivery> pending() {
        return transaction(c -> {
            List<PendingDelivery> list = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT seq, channel, idem_key, created_at, notification FROM vigil_pending ORDER BY seq")) {
                while (rs.next()) {
                    list.add(new PendingDelivery(rs.getLong(1), rs.getString(2), rs.getString(3),
                            Instant.ofEpochMilli(rs.getLong(4)), NotificationJson.fromStored(rs.getString(5))));
                }
            }
            return list;
        });
    }

    @Override
    public Optional<LogEntry> logged(String channel, String key) {
        return transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT receiver, group_key, outcome, done_at FROM"
                    + " vigil_notification_log WHERE channel = ? AND idem_key = ?")) {
                ps.setString(1, channel);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new LogEntry(channel, key, rs.getString(1), rs.getString(2),
                            rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)))) : Optional.<LogEntry>empty();
                }
            }
        });
    }

    @Override
    public List<LogEntry> log() {
        return transaction(c -> {
            List<LogEntry> list = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT channel, idem_key, receiver,"
                    + " group_key, outcome, done_at FROM vigil_notification_log ORDER BY done_at, channel, idem_key")) {
                while (rs.next()) {
                    list.add(new LogEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))));
                }
            }
            return list;
        });
    }

    private static void delete(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    @Override
    public void putSilence(SilenceRecord silence) {
        transaction(c -> {
            delete(c, "DELETE FROM vigil_silence WHERE id = ?", silence.id());
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO vigil_silence (id, definition, ends_at) VALUES (?, ?, ?)")) {
                ps.setString(1, silence.id());
                ps.setString(2, silence.json());
                if (silence.endsAt() == null) {
                    ps.setNull(3, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(3, silence.endsAt().toEpochMilli());
                }
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void removeSilence(String id) {
        transaction(c -> {
            delete(c, "DELETE FROM vigil_silence WHERE id = ?", id);
            return null;
        });
    }

    @Override
    public List<SilenceRecord> silences() {
        return transaction(c -> {
            List<SilenceRecord> list = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, definition, ends_at FROM vigil_silence ORDER BY id")) {
                while (rs.next()) {
                    long ends = rs.getLong(3);
                    list.add(new SilenceRecord(rs.getString(1), rs.getString(2),
                            rs.wasNull() ? null : Instant.ofEpochMilli(ends)));
                }
            }
            return list;
        });
    }

    @Override
    public void putAcknowledgement(Acknowledgement ack) {
        transaction(c -> {
            delete(c, "DELETE FROM vigil_acknowledgement WHERE incident_key = ?", ack.incidentKey());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO vigil_acknowledgement (incident_key,"
                    + " acked_by, acked_at) VALUES (?, ?, ?)")) {
                ps.setString(1, ack.incidentKey());
                ps.setString(2, ack.by());
                ps.setLong(3, ack.at().toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void removeAcknowledgement(String incidentKey) {
        transaction(c -> {
            delete(c, "DELETE FROM vigil_acknowledgement WHERE incident_key = ?", incidentKey);
            return null;
        });
    }

    @Override
    public List<Acknowledgement> acknowledgements() {
        return transaction(c -> {
            List<Acknowledgement> list = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT incident_key, acked_by, acked_at FROM vigil_acknowledgement ORDER BY acked_at")) {
                while (rs.next()) {
                    list.add(new Acknowledgement(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
                }
            }
            return list;
        });
    }

    @Override
    public void putEscalation(EscalationState state) {
        transaction(c -> {
            delete(c, "DELETE FROM vigil_escalation WHERE incident_key = ?", state.incidentKey());
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO vigil_escalation (incident_key, state) VALUES (?, ?)")) {
                ps.setString(1, state.incidentKey());
                ps.setString(2, NotificationJson.write(state.toJson()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void removeEscalation(String incidentKey) {
        transaction(c -> {
            delete(c, "DELETE FROM vigil_escalation WHERE incident_key = ?", incidentKey);
            return null;
        });
    }

    @Override
    public List<EscalationState> escalations() {
        return transaction(c -> {
            List<EscalationState> list = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT state FROM vigil_escalation ORDER BY incident_key")) {
                while (rs.next()) {
                    list.add(EscalationState.fromJson(EscalationState.readTree(rs.getString(1))));
                }
            }
            return list;
        });
    }

    @Override
    public void close() {
        // The application owns the DataSource.
    }

    @Override
    public String toString() {
        return "JdbcDeliveryStore";
    }
}
