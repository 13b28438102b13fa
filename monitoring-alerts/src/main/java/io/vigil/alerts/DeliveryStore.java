package io.vigil.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the delivery runtime must not forget across a crash, behind one interface: the notification log,
 * pending deliveries, silences, acknowledgements and escalation state. Every mutating call is durable when it
 * returns (fsync, or a committed transaction). One process owns a store at a time.
 *
 * <p>Implementations: {@link FileDeliveryStore} (default) and {@link JdbcDeliveryStore}.
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

    @Override
    void close();
}
