package io.vigil.alerts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When each alert or silence was last written through the API (Alertmanager's {@code updatedAt}, which core's
 * model does not keep), bounded: beyond {@code capacity} the entry written longest ago is forgotten and the
 * API falls back to the object's own start time.
 */
final class BoundedTimes {

    private final Map<String, Instant> times;

    BoundedTimes(int capacity) {
        this.times = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void put(String key, Instant at) {
        times.remove(key);
        times.put(key, at);
    }

    synchronized Instant get(String key, Instant fallback) {
        return times.getOrDefault(key, fallback);
    }
}
