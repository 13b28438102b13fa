package io.vigil.alerts.promql;

import java.util.Arrays;

/**
 * An instant vector inside the evaluator: labels and values in parallel arrays (no boxed samples), plus each
 * sample's own timestamp where a selector produced it ({@code timestamp()} reads it).
 */
final class SampleVector {

    Labels[] labels;
    double[] values;
    long[] timestamps;
    int size;

    SampleVector(int capacity) {
        int c = Math.max(capacity, 4);
        labels = new Labels[c];
        values = new double[c];
        timestamps = new long[c];
    }

    void add(Labels l, double v, long t) {
        if (size == labels.length) {
            int c = size * 2;
            labels = Arrays.copyOf(labels, c);
            values = Arrays.copyOf(values, c);
            timestamps = Arrays.copyOf(timestamps, c);
        }
        labels[size] = l;
        values[size] = v;
        timestamps[size] = t;
        size++;
    }

    boolean isEmpty() {
        return size == 0;
    }
}
