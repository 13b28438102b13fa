package io.vigil.alerts.promql;

import java.util.Arrays;

/**
 * A map from label set to int (an index into a vector), open addressing without boxing: the evaluator's
 * join, grouping and duplicate checks.
 */
final class LabelsIndex {

    private Labels[] keys;
    private int[] values;
    private int size;

    LabelsIndex(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, expected * 2 - 1)) << 1;
        keys = new Labels[capacity];
        values = new int[capacity];
    }

    /** The value for {@code key}, or -1. */
    int get(Labels key) {
        int mask = keys.length - 1;
        for (int i = spread(key.hashCode()) & mask; ; i = (i + 1) & mask) {
            Labels k = keys[i];
            if (k == null) {
                return -1;
            }
            if (k.equals(key)) {
                return values[i];
            }
        }
    }

    /** Puts {@code key → value} unless present; returns the existing value, or -1 when it was put. */
    int putIfAbsent(Labels key, int value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = spread(key.hashCode()) & mask; ; i = (i + 1) & mask) {
            Labels k = keys[i];
            if (k == null) {
                keys[i] = key;
                values[i] = value;
                size++;
                return -1;
            }
            if (k.equals(key)) {
                return values[i];
            }
        }
    }

    int size() {
        return size;
    }

    void clear() {
        Arrays.fill(keys, null);
        size = 0;
    }

    private void grow() {
        Labels[] oldKeys = keys;
        int[] oldValues = values;
        keys = new Labels[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                putIfAbsent(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
