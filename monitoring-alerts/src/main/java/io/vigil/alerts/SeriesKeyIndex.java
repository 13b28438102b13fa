package io.vigil.alerts;

/**
 * Finds what the store knows about a scraped series by its 64-bit key ({@link RegistrySampler}'s hash of the
 * series' name and labels), so that a steady-state scrape allocates no key and keeps none: an open-addressing
 * table of {@code long → Object}; key 0 marks an empty slot.
 */
final class SeriesKeyIndex {

    private long[] keys;
    private Object[] values;
    private int size;

    SeriesKeyIndex() {
        clear();
    }

    Object get(long key) {
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == 0) {
                return null;
            }
        }
    }

    void put(long key, Object value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            if (keys[i] == 0) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
        }
    }

    int size() {
        return size;
    }

    void clear() {
        keys = new long[64];
        values = new Object[64];
        size = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32);
    }
}
