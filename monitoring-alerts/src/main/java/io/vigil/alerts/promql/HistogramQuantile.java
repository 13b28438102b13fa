package io.vigil.alerts.promql;

/**
 * Prometheus' bucketQuantile for classic histograms: buckets sorted by upper bound, equal bounds merged,
 * counts forced monotonic (float noise in {@code rate()}s of buckets can break it), the highest bucket must be
 * {@code +Inf}, and the quantile is interpolated linearly inside the bucket the rank falls into; a rank in the
 * {@code +Inf} bucket answers the highest finite bound, and the first bucket interpolates from 0 unless its
 * bound is ≤ 0.
 */
final class HistogramQuantile {

    private HistogramQuantile() {
    }

    /** Buckets in {@code bounds[0..n)}, {@code counts[0..n)}; both arrays are reordered in place. */
    static double bucketQuantile(double q, double[] bounds, double[] counts, int n) {
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        sortByBound(bounds, counts, n);
        if (bounds[n - 1] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        // coalesce equal bounds
        int m = 0;
        double lastBound = bounds[0];
        double lastCount = counts[0];
        for (int i = 1; i < n; i++) {
            if (bounds[i] == lastBound) {
                lastCount += counts[i];
            } else {
                bounds[m] = lastBound;
                counts[m] = lastCount;
                m++;
                lastBound = bounds[i];
                lastCount = counts[i];
            }
        }
        bounds[m] = lastBound;
        counts[m] = lastCount;
        m++;
        // ensure monotonic
        double max = counts[0];
        for (int i = 1; i < m; i++) {
            if (counts[i] > max) {
                max = counts[i];
            } else if (counts[i] < max) {
                counts[i] = max;
            }
        }
        if (m < 2) {
            return Double.NaN;
        }
        double observations = counts[m - 1];
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        // Go's sort.Search over the first m-1 buckets: the first whose count reaches the rank
        int b = 0;
        int hi = m - 1;
        while (b < hi) {
            int h = (b + hi) >>> 1;
            if (!(counts[h] >= rank)) {
                b = h + 1;
            } else {
                hi = h;
            }
        }
        if (b == m - 1) {
            return bounds[m - 2];
        }
        if (b == 0 && bounds[0] <= 0) {
            return bounds[0];
        }
        double bucketStart = 0;
        double bucketEnd = bounds[b];
        double count = counts[b];
        if (b > 0) {
            bucketStart = bounds[b - 1];
            count -= counts[b - 1];
            rank -= counts[b - 1];
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }

    /** Insertion sort: bucket layouts are small (a dozen to a few dozen) and usually already in order. */
    private static void sortByBound(double[] bounds, double[] counts, int n) {
        for (int i = 1; i < n; i++) {
            double b = bounds[i];
            double c = counts[i];
            int j = i - 1;
            while (j >= 0 && bounds[j] > b) {
                bounds[j + 1] = bounds[j];
                counts[j + 1] = counts[j];
                j--;
            }
            bounds[j + 1] = b;
            counts[j + 1] = c;
        }
    }
}
