package io.vigil.core.cardinality;

import io.micrometer.core.instrument.Counter;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admits the first {@code limit} distinct values of one tag and folds every later one into
 * {@link CardinalityGuard#OVERFLOW}.
 *
 * <p>A value already admitted costs one {@link ConcurrentHashMap#get} — no lock, no allocation. Admission
 * reserves a slot with a CAS on the count inside the map's per-bin insert, so under any interleaving
 * exactly {@code limit} values are admitted and each rejected call is counted once. Rejected values are not
 * remembered, so memory stays bounded by the limit whatever the input.
 */
public final class TagLimiter {

    private final int limit;
    private final Counter overflow;
    private final ConcurrentHashMap<String, String> admitted;
    private final AtomicInteger reserved = new AtomicInteger();

    TagLimiter(int limit, Counter overflow) {
        this.limit = limit;
        this.overflow = overflow;
        this.admitted = new ConcurrentHashMap<>(Math.min(limit, 1024) * 2);
    }

    /**
     * Returns {@code value} if it is (or now becomes) one of the admitted values, else {@code OTHER}.
     * A {@code null} value is treated as {@code "none"}.
     */
    public String limit(String value) {
        if (value == null) {
            value = "none";
        }
        String known = admitted.get(value);
        if (known != null) {
            return known;
        }
        if (value.equals(CardinalityGuard.OVERFLOW)) {
            return CardinalityGuard.OVERFLOW;
        }
        return admit(value);
    }

    private String admit(String value) {
        if (reserved.get() < limit) {
            // The bin lock serialises racing inserts of the same value, so a slot is taken once per value.
            String now = admitted.computeIfAbsent(value, v -> reserveSlot() ? v : null);
            if (now != null) {
                return now;
            }
        }
        overflow.increment();
        return CardinalityGuard.OVERFLOW;
    }

    private boolean reserveSlot() {
        int taken;
        do {
            taken = reserved.get();
            if (taken >= limit) {
                return false;
            }
        } while (!reserved.compareAndSet(taken, taken + 1));
        return true;
    }

    /** The cap. */
    public int limit() {
        return limit;
    }

    /** How many distinct values are admitted now (never more than {@link #limit()}). */
    public int admittedCount() {
        return admitted.size();
    }
}
