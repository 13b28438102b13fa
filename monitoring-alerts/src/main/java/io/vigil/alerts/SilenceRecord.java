package io.vigil.alerts;

import java.time.Instant;

/**
 * A silence as the store keeps it: its id, its definition as JSON (the correlation engine's model, opaque to the
 * store) and its end, after which it may be pruned.
 */
record SilenceRecord(String id, String json, Instant endsAt) {
}
