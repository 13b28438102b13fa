package io.vigil.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the delivery runtime must not forget across a crash, behind one interface: the notification log,
 * pending deliveries, silences, acknowledgements and escalation state. Every mutating call is durable when it
 * returns (fsync, or a committed transaction).
 *
 * <p>Implementations: {@link FileDeliveryStore} (default; one process owns it) and {@link JdbcDeliveryStore},
 * which several nodes may share ({@link #shared()}): then each pending delivery is leased by one node, which
 * renews the lease while it lives; a node takes over the deliveries whose lease expired, and group notifications
 * are claimed against a shared notification log ({@link #claim}).
 */
interface DeliveryStore extends AutoCloseable {

    /**
     * Accepts a delivery of {@code notification} to {@code channel} under {@code key}, unless that (channel, key)
     * is already pending or in the log: then returns empty, and nothing is sent twice.
     */
    Optional<PendingDelivery> addPending(String channel, String key, AlertNotification notification, Instant now);

    /** Moves a pending delivery into the log with {@code outcome} ({@link LogEntry#SENT}, ...). */
    void complete(long seq, String outcome, Instant at);

    /** Deliveries accepted and not completed, oldest first. */
    List<PendingDelivery> pending();

    Optional<LogEntry> logged(String channel, String key);

    /** The notification log, oldest first (bounded by the store's retention). */
    List<LogEntry> log();

    void putSilence(SilenceRecord silence);

    void removeSilence(String id);

    List<SilenceRecord> silences();

    void putAcknowledgement(Acknowledgement ack);

    void removeAcknowledgement(String incidentKey);

    List<Acknowledgement> acknowledgements();

    void putEscalation(EscalationState state);

    void removeEscalation(String incidentKey);

    List<EscalationState> escalations();

    // --- several nodes on one store (the defaults are those of a store one process owns) ---------------------

    /** Whether other nodes may share this store (then the methods below coordinate them). */
    default boolean shared() {
        return false;
    }

    /**
     * Claims a group notification for this node against the shared notification log and, in the same transaction,
     * does {@code work}; returns the deliveries accepted, or empty when another node already told the same
     * ({@link GroupClaim#isNews}). One process alone has nothing to claim against: it just does the work.
     */
    default Optional<List<PendingDelivery>> claim(GroupClaim claim, ClaimWork work, Instant now) {
        List<PendingDelivery> accepted = new java.util.ArrayList<>();
        for (ClaimWork.Delivery d : work.deliveries()) {
            addPending(d.channel(), d.key(), d.notification(), now).ifPresent(accepted::add);
        }
        if (work.putEscalation() != null) {
            putEscalation(work.putEscalation());
        }
        if (work.closeIncident() != null) {
            removeEscalation(work.closeIncident());
            removeAcknowledgement(work.closeIncident());
        }
        return Optional.of(accepted);
    }

    /**
     * The deliveries this node must make: at start ({@code includeOwn}) those it held before and those whose
     * node's lease expired; later only the latter. Each returned delivery is now leased to this node.
     */
    default List<PendingDelivery> takeOver(Instant now, boolean includeOwn) {
        return includeOwn ? pending() : List.of();
    }

    /**
     * Extends this node's lease on every pending delivery it holds, and (every third of the lease) its own lease
     * as a live node, which {@link #liveNodes} reads; each control tick.
     */
    default void renewLeases(Instant now) {
    }

    /** The nodes whose lease as a live node runs at {@code now}, by name; empty for a store of one process. */
    default List<PeerStatus> liveNodes(Instant now) {
        return List.of();
    }

    /**
     * Extends this node's lease on {@code seq} right before a delivery attempt; false when another node took it
     * over (then this node must not send it).
     */
    default boolean renewLease(long seq, Instant now) {
        return true;
    }

    /** The stored escalation state of one incident (a peer may have changed it). */
    default Optional<EscalationState> escalation(String incidentKey) {
        return escalations().stream().filter(s -> s.incidentKey().equals(incidentKey)).findFirst();
    }

    /**
     * Closes the store; a shared one first gives up this node's leases, so that a peer takes over at once and no
     * longer counts it among the live nodes.
     */
    @Override
    void close();
}
