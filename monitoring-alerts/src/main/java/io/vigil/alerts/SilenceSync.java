package io.vigil.alerts;

import io.vigil.core.alert.CorrelationEngine;
import io.vigil.core.internal.InternalErrors;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps one correlation engine's silences in step with a store that other nodes share. Each tick it hands the
 * engine every stored silence whose stored form changed since it last looked (created, extended or commented in
 * place under the same id, expired, or replaced by a new one), as given: the node whose API made the change
 * applied Alertmanager's update rules already, and Alertmanager merges its peers' silences the same way.
 *
 * <p>It compares the store with what it last read there, not with the engine: this node's API changes the engine
 * first and the store next, and a read that came in between must not undo the change.
 */
final class SilenceSync {

    private final Map<String, String> seen = new HashMap<>();

    synchronized void apply(List<SilenceRecord> stored, CorrelationEngine engine, Instant now, InternalErrors errors) {
        Set<String> present = new HashSet<>();
        for (SilenceRecord r : stored) {
            present.add(r.id());
            if (r.json().equals(seen.get(r.id()))) {
                continue;
            }
            try {
                engine.restoreSilence(SilenceJson.fromRecord(r), now);
                seen.put(r.id(), r.json());
            } catch (RuntimeException e) {
                errors.record(e); // not marked seen: tried again next tick (the engine may be full now)
            }
        }
        seen.keySet().retainAll(present); // pruned from the store; the engine forgets them after its retention
    }
}
