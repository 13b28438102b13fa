package io.vigil.core.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Silences by id with Alertmanager's update rules ({@code silence/silence.go}): a new silence gets a random UUID
 * and a start no earlier than now; an existing one is changed in place only when that does not rewrite history
 * (same matchers; an active one keeps its start and does not end in the past; a pending one does not start in the
 * past), otherwise it is expired and replaced by a new one. An unknown id is stored as given (restoring a durable
 * store). Expired silences are forgotten after {@code retention}; at most {@code capacity} are held.
 */
final class SilenceStore {

    private final int capacity;
    private final Duration retention;
    private final Map<String, Silence> silences = new LinkedHashMap<>();

    SilenceStore(int capacity, Duration retention) {
        this.capacity = capacity;
        this.retention = retention;
    }

    Silence put(Silence silence, Instant now) {
        String id = silence.id().orElse(null);
        Silence previous = id == null ? null : silences.get(id);
        if (id != null && previous == null) {
            return store(silence, now);
        }
        if (previous != null) {
            if (canUpdate(previous, silence, now)) {
                silences.put(id, silence);
                return silence;
            }
            if (previous.state(now) != Silence.State.EXPIRED) {
                expire(id, now);
            }
        }
        Silence.Builder fresh = silence.toBuilder().id(UUID.randomUUID().toString());
        if (silence.startsAt().isBefore(now)) {
            fresh.startsAt(now);
            if (silence.endsAt().isBefore(now)) {
                throw new IllegalArgumentException("end time must not be in the past: " + silence.endsAt());
            }
        }
        return store(fresh.build(), now);
    }

    /** Holds {@code silence} as given under its id, replacing any: a copy of a change admitted elsewhere. */
    Silence restore(Silence silence, Instant now) {
        String id = silence.id().orElseThrow(() -> new IllegalArgumentException("a restored silence needs an id"));
        if (silences.containsKey(id)) {
            silences.put(id, silence);
            return silence;
        }
        return store(silence, now);
    }

    private Silence store(Silence silence, Instant now) {
        if (silences.size() >= capacity) {
            collectGarbage(now);
            if (silences.size() >= capacity && !evictOneExpired(now)) {
                throw new IllegalStateException("too many silences: the limit is " + capacity);
            }
        }
        silences.put(silence.id().orElseThrow(), silence);
        return silence;
    }

    private boolean evictOneExpired(Instant now) {
        String oldest = null;
        Instant oldestEnd = null;
        for (Silence s : silences.values()) {
            if (s.state(now) == Silence.State.EXPIRED && (oldestEnd == null || s.endsAt().isBefore(oldestEnd))) {
                oldest = s.id().orElseThrow();
                oldestEnd = s.endsAt();
            }
        }
        if (oldest == null) {
            return false;
        }
        silences.remove(oldest);
        return true;
    }

    private static boolean canUpdate(Silence a, Silence b, Instant now) {
        if (!a.matchers().equals(b.matchers())) {
            return false;
        }
        return switch (a.state(now)) {
            case ACTIVE -> a.startsAt().getEpochSecond() == b.startsAt().getEpochSecond() && !b.endsAt().isBefore(now);
            case PENDING -> !b.startsAt().isBefore(now);
            case EXPIRED -> false;
        };
    }

    /** Alertmanager's {@code Expire}: an active silence ends now, a pending one starts and ends now. */
    Optional<Silence> expire(String id, Instant now) {
        Silence s = silences.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Silence expired = switch (s.state(now)) {
            case EXPIRED -> s;
            case ACTIVE -> s.toBuilder().endsAt(now).build();
            case PENDING -> s.toBuilder().startsAt(now).endsAt(now).build();
        };
        silences.put(id, expired);
        return Optional.of(expired);
    }

    void collectGarbage(Instant now) {
        Instant cutoff = now.minus(retention);
        for (Iterator<Silence> it = silences.values().iterator(); it.hasNext(); ) {
            Silence s = it.next();
            if (!s.endsAt().isAfter(cutoff)) {
                it.remove();
            }
        }
    }

    Optional<Silence> get(String id) {
        return Optional.ofNullable(silences.get(id));
    }

    List<Silence> all() {
        return List.copyOf(silences.values());
    }

    /** Silences active at {@code now}. */
    List<Silence> active(Instant now) {
        List<Silence> out = new ArrayList<>();
        for (Silence s : silences.values()) {
            if (s.state(now) == Silence.State.ACTIVE) {
                out.add(s);
            }
        }
        return out;
    }

    int size() {
        return silences.size();
    }
}
