package io.vigil.alerts;

import java.time.Instant;

/**
 * A notification accepted for one channel and not yet finished: durable from the moment it is accepted until
 * the channel confirmed it (or it was rejected or expired). {@code seq} orders deliveries across restarts.
 */
record PendingDelivery(long seq, String channel, String idempotencyKey, Instant createdAt, AlertNotification notification) {
}
