package io.vigil.benchmarks.cpu;

import java.util.Arrays;

/**
 * Median and interquartile range of a small sample, by linear interpolation between order statistics (the
 * definition numpy and {@code benchmarks/report.py} use, so both print the same figures).
 */
record Quartiles(double q1, double median, double q3) {

    static Quartiles of(double[] values) {
        if (values.length == 0) {
            return new Quartiles(Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Quartiles(quantile(sorted, 0.25), quantile(sorted, 0.5), quantile(sorted, 0.75));
    }

    static double quantile(double[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int low = (int) Math.floor(position);
        int high = Math.min(low + 1, sorted.length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}
