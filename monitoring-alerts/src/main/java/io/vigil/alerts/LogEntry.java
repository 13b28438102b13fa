package io.vigil.alerts;

import java.time.Instant;

/**
 * One line of the notification log: what was sent (or given up), when, to whom, under which idempotency key.
 * A (channel, key) pair in the log is never delivered again.
 */
record LogEntry(String channel, String idempotencyKey, String receiver, String groupKey, String outcome, Instant at) {

    static final String SENT = "success";
    static final String REJECTED = "rejected";
    static final String EXPIRED = "expired";
    static final String DROPPED = "dropped";
}
