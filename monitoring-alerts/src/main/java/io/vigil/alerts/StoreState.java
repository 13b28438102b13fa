package io.vigil.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The store's content in memory, changed only by "set"-style operations so that replaying a journal over a
 * snapshot that already contains part of it ends in the same state (a crash between snapshot and journal reset
 * leaves exactly that). Not thread-safe: the file store guards it.
 */
final class StoreState {

    final TreeMap<Long, PendingDelivery> pending = new TreeMap<>();
    final Map<String, Long> pendingByKey = new LinkedHashMap<>();
    final LinkedHashMap<String, LogEntry> log = new LinkedHashMap<>();
    final LinkedHashMap<String, SilenceRecord> silences = new LinkedHashMap<>();
    final LinkedHashMap<String, Acknowledgement> acks = new LinkedHashMap<>();
    final LinkedHashMap<String, EscalationState> escalations = new LinkedHashMap<>();
    long nextSeq = 1;

    private final Duration retention;
    private final int maxLogEntries;

    StoreState(Duration retention, int maxLogEntries) {
        this.retention = retention;
        this.maxLogEntries = maxLogEntries;
    }

    static String key(String channel, String idempotencyKey) {
        return channel + '\u0000' + idempotencyKey;
    }

    boolean known(String channel, String idempotencyKey) {
        String k = key(channel, idempotencyKey);
        return pendingByKey.containsKey(k) || log.containsKey(k);
    }

    void putPending(PendingDelivery d) {
        pending.put(d.seq(), d);
        pendingByKey.put(key(d.channel(), d.idempotencyKey()), d.seq());
        nextSeq = Math.max(nextSeq, d.seq() + 1);
    }

    void complete(long seq, String outcome, Instant at) {
        PendingDelivery d = pending.remove(seq);
        if (d == null) {
            return; // already completed in the snapshot this journal is replayed over
        }
        pendingByKey.remove(key(d.channel(), d.idempotencyKey()));
        putLog(new LogEntry(d.channel(), d.idempotencyKey(), d.notification().receiver(),
                d.notification().groupKey(), outcome, at));
    }

    void putLog(LogEntry e) {
        String k = key(e.channel(), e.idempotencyKey());
        log.remove(k);
        log.put(k, e);
        while (log.size() > maxLogEntries) {
            Iterator<String> eldest = log.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    /** Drops log entries older than the retention and silences that ended before it. */
    void prune(Instant now) {
        Instant horizon = now.minus(retention);
        log.values().removeIf(e -> e.at().isBefore(horizon));
        silences.values().removeIf(s -> s.endsAt() != null && s.endsAt().isBefore(horizon));
    }

    Optional<LogEntry> logged(String channel, String idempotencyKey) {
        return Optional.ofNullable(log.get(key(channel, idempotencyKey)));
    }

    List<PendingDelivery> pendingList() {
        return new ArrayList<>(pending.values());
    }
}
