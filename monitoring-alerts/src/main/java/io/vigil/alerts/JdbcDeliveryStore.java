package io.vigil.alerts;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetAddress;
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
 * The store in a relational database (tested on PostgreSQL and H2): tables prefixed {@code vigil_}, created
 * when missing (idempotently, also by two nodes starting at once), plain portable SQL (no upsert dialects: a
 * replace is a delete and an insert in one transaction). Each mutating call is one committed transaction. Times
 * are epoch milliseconds.
 *
 * <p>Several nodes may share it ({@link #shared()}, built with a node id): the database is then the coordinator.
 * A unique index on (channel, key) lets one delivery in; sequence numbers come from a counter row, whose row lock
 * also serializes the acceptance of deliveries across nodes; each pending delivery carries its node and a lease
 * end, renewed by that node, taken over by another once expired (a compare-and-set on the lease end); group
 * notifications are claimed against {@code vigil_group_log}, locked with {@code SELECT ... FOR UPDATE}, in the
 * same transaction as the deliveries they lead to.
 */
final class JdbcDeliveryStore implements DeliveryStore {

    /** The owner of every delivery of a store that one process owns. */
    static final String LOCAL = "local";

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
        // Several nodes: who holds a pending delivery and until when; one delivery per (channel, key).
        "ALTER TABLE vigil_pending ADD COLUMN IF NOT EXISTS owner VARCHAR(200)",
        "ALTER TABLE vigil_pending ADD COLUMN IF NOT EXISTS lease_until BIGINT",
        "CREATE UNIQUE INDEX IF NOT EXISTS vigil_pending_key ON vigil_pending (channel, idem_key)",
        "CREATE TABLE IF NOT EXISTS vigil_counter (name VARCHAR(50) PRIMARY KEY, counter_value BIGINT NOT NULL)",
        // The shared notification log: per receiver and group, what the last notification said and when.
        "CREATE TABLE IF NOT EXISTS vigil_group_log (group_hash VARCHAR(64) PRIMARY KEY, receiver VARCHAR(200) NOT NULL,"
                + " firing VARCHAR(1000000) NOT NULL, resolved VARCHAR(1000000) NOT NULL, notified_at BIGINT NOT NULL,"
                + " node VARCHAR(200) NOT NULL)",
        // The nodes and until when each is alive: renewed every third of the lease, deleted when a node closes.
        "CREATE TABLE IF NOT EXISTS vigil_node (node VARCHAR(200) PRIMARY KEY, address VARCHAR(300) NOT NULL,"
                + " alive_until BIGINT NOT NULL)",
    };

    /** How many expired deliveries one tick takes over at most (the lanes stay bounded). */
    private static final int TAKE_OVER_BATCH = 100;


    private final DataSource dataSource;
    private final Duration retention;
    private final int maxLogEntries;
    private final String node;
    private final boolean shared;
    private final long leaseMillis;
    private int completionsSincePrune;
    /** When this node last renewed its own lease ({@code vigil_node}); null before the first time. */
    private Instant lastBeat;
    private String address;

    /** A store one process owns. */
    JdbcDeliveryStore(DataSource dataSource, Duration retention, int maxLogEntries) {
        this(dataSource, retention, maxLogEntries, null, null);
    }

    /**
     * A store shared by nodes, this one named {@code node} (null: one process owns it), whose pending deliveries
     * another node takes over {@code lease} after this one stopped renewing them.
     */
    JdbcDeliveryStore(DataSource dataSource, Duration retention, int maxLogEntries, String node, Duration lease) {
        this.dataSource = dataSource;
        this.retention = retention;
        this.maxLogEntries = maxLogEntries;
        this.shared = node != null;
        this.node = shared ? node : LOCAL;
        this.leaseMillis = shared ? lease.toMillis() : Long.MAX_VALUE / 4;
        try {
            createSchema();
        } catch (SQLException first) {
            // Two nodes creating the same table at once: PostgreSQL may fail one of them on its catalog's unique
            // index even with IF NOT EXISTS. The second try sees the tables.
            try {
                createSchema();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot open the JDBC delivery store: " + e.getMessage(), e);
            }
        }
    }

    private void createSchema() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            for (String ddl : SCHEMA) {
                s.execute(ddl);
            }
            try {
                s.executeUpdate("INSERT INTO vigil_counter (name, counter_value) SELECT 'pending', COALESCE(MAX(seq), 0)"
                        + " FROM vigil_pending WHERE NOT EXISTS (SELECT 1 FROM vigil_counter WHERE name = 'pending')");
            } catch (SQLException e) {
                if (!uniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    static boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean shared() {
        return shared;
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
        try {
            return transaction(c -> insertPending(c, channel, key, n, now));
        } catch (IllegalStateException e) {
            if (uniqueViolation(e)) {
                return Optional.empty(); // another node accepted the same delivery at the same moment
            }
            throw e;
        }
    }

    private Optional<PendingDelivery> insertPending(Connection c, String channel, String key, AlertNotification n,
            Instant now) throws SQLException {
        // The counter row first: its lock orders acceptances across nodes, so the checks below see the others'.
        long seq = nextSeq(c);
        if (exists(c, "SELECT 1 FROM vigil_pending WHERE channel = ? AND idem_key = ?", channel, key)
                || exists(c, "SELECT 1 FROM vigil_notification_log WHERE channel = ? AND idem_key = ?", channel,
                key)) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO vigil_pending (seq, channel, idem_key,"
                + " created_at, notification, owner, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, seq);
            ps.setString(2, channel);
            ps.setString(3, key);
            ps.setLong(4, now.toEpochMilli());
            ps.setString(5, NotificationJson.toStored(n));
            ps.setString(6, node);
            ps.setLong(7, leaseEnd(now));
            ps.executeUpdate();
        }
        return Optional.of(new PendingDelivery(seq, channel, key, Instant.ofEpochMilli(now.toEpochMilli()), n));
    }

    private static long nextSeq(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE vigil_counter SET counter_value = counter_value + 1 WHERE name = 'pending'");
            try (ResultSet rs = s.executeQuery("SELECT counter_value FROM vigil_counter WHERE name = 'pending'")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long leaseEnd(Instant now) {
        return now.toEpochMilli() + leaseMillis;
    }

    @Override
    public Optional<List<PendingDelivery>> claim(GroupClaim claim, ClaimWork work, Instant now) {
        for (int attempt = 0; ; attempt++) {
            try {
                return transaction(c -> claimIn(c, claim, work, now));
            } catch (IllegalStateException e) {
                // Two nodes logging a group's first notification at once: one insert loses; its retry finds the
                // row and decides against what the winner logged.
                if (attempt == 0 && uniqueViolation(e)) {
                    continue;
                }
                throw e;
            }
        }
    }

    private Optional<List<PendingDelivery>> claimIn(Connection c, GroupClaim claim, ClaimWork work, Instant now)
            throws SQLException {
        String hash = PagerDutyChannel.dedupKey(claim.receiver() + "\n" + claim.groupKey()); // SHA-256 hex: a short key
        java.util.Set<String> lastFiring = java.util.Set.of();
        java.util.Set<String> lastResolved = java.util.Set.of();
        Instant lastAt = null;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT firing, resolved, notified_at FROM vigil_group_log WHERE group_hash = ? FOR UPDATE")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    lastFiring = GroupClaim.split(rs.getString(1));
                    lastResolved = GroupClaim.split(rs.getString(2));
                    lastAt = Instant.ofEpochMilli(rs.getLong(3));
                }
            }
        }
        if (!claim.isNews(lastFiring, lastResolved, lastAt, now)) {
            return Optional.empty();
        }
        String sql = lastAt == null
                ? "INSERT INTO vigil_group_log (firing, resolved, notified_at, node, receiver, group_hash)"
                        + " VALUES (?, ?, ?, ?, ?, ?)"
                : "UPDATE vigil_group_log SET firing = ?, resolved = ?, notified_at = ?, node = ?, receiver = ?"
                        + " WHERE group_hash = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, GroupClaim.join(claim.firing()));
            ps.setString(2, GroupClaim.join(claim.resolved()));
            ps.setLong(3, now.toEpochMilli());
            ps.setString(4, node);
            ps.setString(5, claim.receiver());
            ps.setString(6, hash);
            ps.executeUpdate();
        }
        List<PendingDelivery> accepted = new ArrayList<>();
        for (ClaimWork.Delivery d : work.deliveries()) {
            insertPending(c, d.channel(), d.key(), d.notification(), now).ifPresent(accepted::add);
        }
        if (work.putEscalation() != null) {
            putEscalationIn(c, work.putEscalation());
        }
        if (work.closeIncident() != null) {
            delete(c, "DELETE FROM vigil_escalation WHERE incident_key = ?", work.closeIncident());
            delete(c, "DELETE FROM vigil_acknowledgement WHERE incident_key = ?", work.closeIncident());
        }
        return Optional.of(accepted);
    }

    @Override
    public List<PendingDelivery> takeOver(Instant now, boolean includeOwn) {
        if (!shared) {
            return includeOwn ? pending() : List.of();
        }
        return transaction(c -> {
            List<PendingDelivery> candidates = new ArrayList<>();
            List<Long> leases = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, channel, idem_key, created_at, notification,"
                    + " lease_until FROM vigil_pending WHERE lease_until IS NULL OR lease_until < ?"
                    + (includeOwn ? " OR owner = ?" : "") + " ORDER BY seq")) {
                ps.setLong(1, now.toEpochMilli());
                if (includeOwn) {
                    ps.setString(2, node);
                }
                ps.setMaxRows(TAKE_OVER_BATCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(new PendingDelivery(rs.getLong(1), rs.getString(2), rs.getString(3),
                                Instant.ofEpochMilli(rs.getLong(4)), NotificationJson.fromStored(rs.getString(5))));
                        long lease = rs.getLong(6);
                        leases.add(rs.wasNull() ? null : lease);
                    }
                }
            }
            List<PendingDelivery> taken = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                // Compare-and-set on the lease end read above: of two nodes taking over at once, one wins.
                Long lease = leases.get(i);
                try (PreparedStatement ps = c.prepareStatement("UPDATE vigil_pending SET owner = ?, lease_until = ?"
                        + " WHERE seq = ? AND " + (lease == null ? "lease_until IS NULL" : "lease_until = ?"))) {
                    ps.setString(1, node);
                    ps.setLong(2, leaseEnd(now));
                    ps.setLong(3, candidates.get(i).seq());
                    if (lease != null) {
                        ps.setLong(4, lease);
                    }
                    if (ps.executeUpdate() == 1) {
                        taken.add(candidates.get(i));
                    }
                }
            }
            return taken;
        });
    }

    @Override
    public synchronized void renewLeases(Instant now) {
        if (!shared) {
            return;
        }
        // The node's own lease is renewed once a third of it has passed, not every tick: a dead node still drops
        // out of the live nodes within the lease, and the other ticks cost no statement for it.
        boolean beat = lastBeat == null || now.isBefore(lastBeat)
                || now.toEpochMilli() - lastBeat.toEpochMilli() >= leaseMillis / 3;
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE vigil_pending SET lease_until = ? WHERE owner = ?")) {
                ps.setLong(1, leaseEnd(now));
                ps.setString(2, node);
                ps.executeUpdate();
            }
            if (beat) {
                beat(c, now);
            }
            return null;
        });
        if (beat) {
            lastBeat = now;
        }
    }

    private void beat(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE vigil_node SET address = ?, alive_until = ? WHERE node = ?")) {
            ps.setString(1, address());
            ps.setLong(2, leaseEnd(now));
            ps.setString(3, node);
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO vigil_node (node, address, alive_until) VALUES (?, ?, ?)")) {
            ps.setString(1, node);
            ps.setString(2, address());
            ps.setLong(3, leaseEnd(now));
            ps.executeUpdate();
        }
    }

    /** The host's name, looked up once on the control thread (not in build(): a slow resolver would stall it). */
    private String address() {
        if (address == null) {
            try {
                String name = InetAddress.getLocalHost().getHostName();
                address = name.length() > 300 ? name.substring(0, 300) : name;
            } catch (IOException | RuntimeException e) {
                address = "";
            }
        }
        return address;
    }

    @Override
    public List<PeerStatus> liveNodes(Instant now) {
        if (!shared) {
            return List.of();
        }
        return transaction(c -> {
            List<PeerStatus> nodes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT node, address FROM vigil_node WHERE alive_until >= ? ORDER BY node")) {
                ps.setLong(1, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        nodes.add(new PeerStatus(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return nodes;
        });
    }

    @Override
    public boolean renewLease(long seq, Instant now) {
        if (!shared) {
            return true;
        }
        return transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE vigil_pending SET lease_until = ? WHERE seq = ? AND owner = ?")) {
                ps.setLong(1, leaseEnd(now));
                ps.setLong(2, seq);
                ps.setString(3, node);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void complete(long seq, String outcome, Instant at) {
        transaction(c -> {
            String channel;
            String key;
            String stored;
            // One process: every pending row is its own (also those of an older schema, without owner).
            try (PreparedStatement ps = c.prepareStatement("SELECT channel, idem_key, notification FROM vigil_pending"
                    + " WHERE seq = ?" + (shared ? " AND owner = ? FOR UPDATE" : ""))) {
                ps.setLong(1, seq);
                if (shared) {
                    ps.setString(2, node);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null; // completed already, or taken over by another node after this one's lease
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
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM vigil_group_log WHERE notified_at < ?")) {
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
            putEscalationIn(c, state);
            return null;
        });
    }

    private static void putEscalationIn(Connection c, EscalationState state) throws SQLException {
        delete(c, "DELETE FROM vigil_escalation WHERE incident_key = ?", state.incidentKey());
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO vigil_escalation (incident_key, state) VALUES (?, ?)")) {
            ps.setString(1, state.incidentKey());
            ps.setString(2, NotificationJson.write(state.toJson()));
            ps.executeUpdate();
        }
    }

    @Override
    public Optional<EscalationState> escalation(String incidentKey) {
        return transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM vigil_escalation WHERE incident_key = ?")) {
                ps.setString(1, incidentKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(EscalationState.fromJson(EscalationState.readTree(rs.getString(1))))
                            : Optional.<EscalationState>empty();
                }
            }
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
        // The application owns the DataSource. A node leaving cleanly hands its deliveries over at once.
        if (shared) {
            try {
                transaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE vigil_pending SET lease_until = 0 WHERE owner = ?")) {
                        ps.setString(1, node);
                        ps.executeUpdate();
                    }
                    delete(c, "DELETE FROM vigil_node WHERE node = ?", node);
                    return null;
                });
            } catch (IllegalStateException e) {
                // The database is gone: the leases expire on their own.
            }
        }
    }

    @Override
    public String toString() {
        return shared ? "JdbcDeliveryStore{node=" + node + "}" : "JdbcDeliveryStore";
    }
}
