package io.vigil.core.app;

import io.micrometer.core.instrument.Clock;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Estimates the number of distinct keys seen in a sliding time window with a fixed 16 KiB of state.
 *
 * <p>A HyperLogLog of 2<sup>13</sup> registers (standard error 1.04/√8192 ≈ 1.15%) whose every register
 * keeps four 4-bit sub-registers, one per quarter of the window. A key sets the sub-register of the current
 * quarter; the estimate takes, per register, the maximum over the four quarters; when a quarter starts, its
 * sub-registers are cleared. The estimate therefore covers the last three full quarters plus the running
 * one: between ¾ of the window and the whole window. Four bits hold ranks up to 15, which only saturates
 * past ~10<sup>8</sup> keys per window.
 *
 * <p>Recording is lock-free: a hash, one volatile read and, only when a rank rises, one CAS on a
 * {@code long} holding four registers. Keys are never stored, only their hashes' ranks.
 */
final class SlidingDistinctCounter {

    static final int PRECISION = 13;
    static final int REGISTERS = 1 << PRECISION;
    static final int QUARTERS = 4;
    private static final int BITS_PER_REGISTER = 16; // four 4-bit quarters
    private static final int REGISTERS_PER_WORD = 64 / BITS_PER_REGISTER;
    private static final int MAX_RANK = 15;
    private static final double ALPHA = 0.7213 / (1 + 1.079 / REGISTERS);

    private final AtomicLongArray words = new AtomicLongArray(REGISTERS / REGISTERS_PER_WORD);
    private final Clock clock;
    private final long quarterNanos;
    /** The current quarter; replaced (never mutated) when a new one starts, so a reader sees a consistent one. */
    private volatile Quarter quarter;

    /** A quarter of the window: its index since the clock's origin and its bounds on the monotonic clock. */
    private static final class Quarter {
        final long epoch;
        final long start;
        final long end;

        Quarter(long epoch, long quarterNanos) {
            this.epoch = epoch;
            this.start = epoch * quarterNanos;
            this.end = start + quarterNanos;
        }
    }

    SlidingDistinctCounter(Clock clock, long windowNanos) {
        if (windowNanos < QUARTERS) {
            throw new IllegalArgumentException("window too short");
        }
        this.clock = clock;
        this.quarterNanos = windowNanos / QUARTERS;
        this.quarter = new Quarter(Math.floorDiv(clock.monotonicTime(), quarterNanos), quarterNanos);
    }

    /** Bytes of register state: the memory bound (2<sup>13</sup> registers × 4 quarters × 4 bits). */
    static int stateBytes() {
        return REGISTERS * BITS_PER_REGISTER / 8;
    }

    void add(String key) {
        addHash(hash(key));
    }

    void addHash(long hash) {
        addHash(hash, clock.monotonicTime());
    }

    /** Adds a hash at {@code nowNanos} (the clock's monotonic time, read once by the caller for all windows). */
    void addHash(long hash, long nowNanos) {
        long current = advance(nowNanos);
        int register = (int) (hash >>> (64 - PRECISION));
        long rest = hash << PRECISION;
        int rank = rest == 0 ? MAX_RANK : Math.min(Long.numberOfLeadingZeros(rest) + 1, MAX_RANK);
        int shift = (register % REGISTERS_PER_WORD) * BITS_PER_REGISTER + (int) (current & (QUARTERS - 1)) * 4;
        int word = register / REGISTERS_PER_WORD;
        while (true) {
            long value = words.get(word);
            if (((value >>> shift) & 0xF) >= rank) {
                return;
            }
            long updated = (value & ~(0xFL << shift)) | ((long) rank << shift);
            if (words.compareAndSet(word, value, updated)) {
                return;
            }
        }
    }

    /** The estimated number of distinct keys in the window. */
    long estimate() {
        advance(clock.monotonicTime());
        double sum = 0;
        int zeros = 0;
        for (int word = 0; word < words.length(); word++) {
            long value = words.get(word);
            for (int r = 0; r < REGISTERS_PER_WORD; r++) {
                long register = value >>> (r * BITS_PER_REGISTER);
                int max = 0;
                for (int q = 0; q < QUARTERS; q++) {
                    max = Math.max(max, (int) ((register >>> (q * 4)) & 0xF));
                }
                if (max == 0) {
                    zeros++;
                }
                sum += 1.0 / (1L << max);
            }
        }
        double estimate = ALPHA * REGISTERS * REGISTERS / sum;
        if (estimate <= 2.5 * REGISTERS && zeros > 0) {
            estimate = REGISTERS * Math.log((double) REGISTERS / zeros); // linear counting for small sets
        }
        return Math.round(estimate);
    }

    /**
     * Moves to the current quarter, clearing the quarters that are starting over; returns its epoch. Within a
     * quarter (all but one call per quarter) this is a volatile read and two comparisons: no division.
     */
    private long advance(long nowNanos) {
        Quarter current = quarter;
        if (nowNanos >= current.start && nowNanos < current.end) {
            return current.epoch;
        }
        long now = Math.floorDiv(nowNanos, quarterNanos);
        synchronized (this) { // taken once per quarter, not per key
            long seen = quarter.epoch;
            if (now > seen) {
                long stale = Math.min(now - seen, QUARTERS);
                for (long e = now - stale + 1; e <= now; e++) {
                    clear((int) (e & (QUARTERS - 1)));
                }
                quarter = new Quarter(now, quarterNanos);
            }
            return quarter.epoch;
        }
    }

    private void clear(int quarter) {
        long mask = 0;
        for (int r = 0; r < REGISTERS_PER_WORD; r++) {
            mask |= 0xFL << (r * BITS_PER_REGISTER + quarter * 4);
        }
        for (int word = 0; word < words.length(); word++) {
            long value;
            do {
                value = words.get(word);
            } while ((value & mask) != 0 && !words.compareAndSet(word, value, value & ~mask));
        }
    }

    /**
     * {@link String#hashCode()} spread over 64 bits by MurmurHash3's fmix64 (a bijection, so distinct hash codes
     * stay distinct). A String caches its hash code, and a principal's name is usually one String held by the
     * session, so a user seen again costs no pass over its characters. The price is 32 bits of identity: two names with equal hash codes count once,
     * about n²/2³³ of n users (0.01 % at a million, 1 % at a hundred million), far below the sketch's ~1.2 %.
     */
    static long hash(String key) {
        long h = key.hashCode();
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
