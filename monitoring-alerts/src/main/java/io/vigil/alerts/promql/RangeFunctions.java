package io.vigil.alerts.promql;

import java.util.Arrays;

/**
 * The arithmetic of the range-vector functions, over one series' points in the range (ascending, staleness
 * markers removed): {@code t[0..n)}, {@code v[0..n)}. Each follows Prometheus 2.42's promql/functions.go to the
 * floating-point operation, so results compare equal to promtool's, not merely close.
 */
final class RangeFunctions {

    private RangeFunctions() {
    }

    /** Go's {@code time.Duration.Seconds()} of a millisecond duration, rounding as Go does. */
    static double seconds(long millis) {
        long sec = millis / 1000;
        long nsec = (millis % 1000) * 1_000_000L;
        return (double) sec + (double) nsec / 1e9;
    }

    /**
     * {@code rate}, {@code increase} and {@code delta}: Prometheus' extrapolatedRate. Counter resets add the value
     * before the reset; the result is extrapolated to the range boundaries when the first/last point lies within
     * 1.1 average intervals of them (else by half an interval), and for counters never below zero. Requires n ≥ 2.
     */
    static double extrapolatedRate(long[] t, double[] v, int n, long evalTime, long rangeMillis, long offsetMillis,
                                   boolean isCounter, boolean isRate) {
        long rangeStart = evalTime - (rangeMillis + offsetMillis);
        long rangeEnd = evalTime - offsetMillis;
        double result = v[n - 1] - v[0];
        if (isCounter) {
            double prev = v[0];
            for (int i = 1; i < n; i++) {
                if (v[i] < prev) {
                    result += prev;
                }
                prev = v[i];
            }
        }
        double durationToStart = (double) (t[0] - rangeStart) / 1000;
        double durationToEnd = (double) (rangeEnd - t[n - 1]) / 1000;
        double sampledInterval = (double) (t[n - 1] - t[0]) / 1000;
        double averageDurationBetweenSamples = sampledInterval / (double) (n - 1);
        if (isCounter && result > 0 && v[0] >= 0) {
            // A counter cannot go below zero: extrapolate at most to where it would have been zero.
            double durationToZero = sampledInterval * (v[0] / result);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        double extrapolationThreshold = averageDurationBetweenSamples * 1.1;
        double extrapolateToInterval = sampledInterval;
        if (durationToStart < extrapolationThreshold) {
            extrapolateToInterval += durationToStart;
        } else {
            extrapolateToInterval += averageDurationBetweenSamples / 2;
        }
        if (durationToEnd < extrapolationThreshold) {
            extrapolateToInterval += durationToEnd;
        } else {
            extrapolateToInterval += averageDurationBetweenSamples / 2;
        }
        double factor = extrapolateToInterval / sampledInterval;
        if (isRate) {
            factor /= seconds(rangeMillis);
        }
        return result * factor;
    }

    /**
     * {@code irate} ({@code isRate}) and {@code idelta}: the last two points, a counter reset counting the value
     * after it. {@code ok[0]} is false when there is no result (two points at the same time). Requires n ≥ 2.
     */
    static double instantValue(long[] t, double[] v, int n, boolean isRate, boolean[] ok) {
        double last = v[n - 1];
        double previous = v[n - 2];
        double result = isRate && last < previous ? last : last - previous;
        long interval = t[n - 1] - t[n - 2];
        if (interval == 0) {
            ok[0] = false;
            return 0;
        }
        ok[0] = true;
        if (isRate) {
            result /= (double) interval / 1000;
        }
        return result;
    }

    /** Kahan-Babuška summation step as Prometheus' kahanSumInc; returns the new sum, the compensation in c[0]. */
    private static double kahanSumInc(double inc, double sum, double[] c) {
        double t = sum + inc;
        if (Math.abs(sum) >= Math.abs(inc)) {
            c[0] += (sum - t) + inc;
        } else {
            c[0] += (inc - t) + sum;
        }
        return t;
    }

    /**
     * Least-squares slope and intercept of the points, x in seconds relative to {@code interceptTime}
     * ({@code deriv} uses the first point's time, {@code predict_linear} the evaluation time). Into out[0..1].
     */
    static void linearRegression(long[] t, double[] v, int n, long interceptTime, double[] out) {
        double count = 0;
        double sumX = 0;
        double sumY = 0;
        double sumXY = 0;
        double sumX2 = 0;
        double[] cX = {0};
        double[] cY = {0};
        double[] cXY = {0};
        double[] cX2 = {0};
        double initY = v[0];
        boolean constY = true;
        for (int i = 0; i < n; i++) {
            if (constY && i > 0 && v[i] != initY) {
                constY = false;
            }
            count += 1.0;
            double x = (double) (t[i] - interceptTime) / 1e3;
            sumX = kahanSumInc(x, sumX, cX);
            sumY = kahanSumInc(v[i], sumY, cY);
            sumXY = kahanSumInc(x * v[i], sumXY, cXY);
            sumX2 = kahanSumInc(x * x, sumX2, cX2);
        }
        if (constY) {
            if (Double.isInfinite(initY)) {
                out[0] = Double.NaN;
                out[1] = Double.NaN;
            } else {
                out[0] = 0;
                out[1] = initY;
            }
            return;
        }
        sumX = sumX + cX[0];
        sumY = sumY + cY[0];
        sumXY = sumXY + cXY[0];
        sumX2 = sumX2 + cX2[0];
        double covXY = sumXY - sumX * sumY / count;
        double varX = sumX2 - sumX * sumX / count;
        double slope = covXY / varX;
        out[0] = slope;
        out[1] = sumY / count - slope * sumX / count;
    }

    static double avgOverTime(double[] v, int n) {
        double mean = 0;
        double count = 0;
        double[] c = {0};
        for (int i = 0; i < n; i++) {
            double x = v[i];
            count++;
            if (Double.isInfinite(mean)) {
                if (Double.isInfinite(x) && (mean > 0) == (x > 0)) {
                    continue; // same-signed infinities: the mean is already right
                }
                if (!Double.isInfinite(x) && !Double.isNaN(x)) {
                    continue; // an infinite mean stays infinite
                }
            }
            mean = kahanSumInc(x / count - mean / count, mean, c);
        }
        if (Double.isInfinite(mean)) {
            return mean;
        }
        return mean + c[0];
    }

    static double sumOverTime(double[] v, int n) {
        double sum = 0;
        double[] c = {0};
        for (int i = 0; i < n; i++) {
            sum = kahanSumInc(v[i], sum, c);
        }
        if (Double.isInfinite(sum)) {
            return sum;
        }
        return sum + c[0];
    }

    static double maxOverTime(double[] v, int n) {
        double max = v[0];
        for (int i = 0; i < n; i++) {
            if (v[i] > max || Double.isNaN(max)) {
                max = v[i];
            }
        }
        return max;
    }

    static double minOverTime(double[] v, int n) {
        double min = v[0];
        for (int i = 0; i < n; i++) {
            if (v[i] < min || Double.isNaN(min)) {
                min = v[i];
            }
        }
        return min;
    }

    /** stdvar_over_time; stddev_over_time is its square root. */
    static double stdvarOverTime(double[] v, int n) {
        double count = 0;
        double mean = 0;
        double aux = 0;
        double[] cMean = {0};
        double[] cAux = {0};
        for (int i = 0; i < n; i++) {
            count++;
            double delta = v[i] - (mean + cMean[0]);
            mean = kahanSumInc(delta / count, mean, cMean);
            aux = kahanSumInc(delta * (v[i] - (mean + cMean[0])), aux, cAux);
        }
        return (aux + cAux[0]) / count;
    }

    static double changes(double[] v, int n) {
        int changes = 0;
        double prev = v[0];
        for (int i = 1; i < n; i++) {
            double cur = v[i];
            if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) {
                changes++;
            }
            prev = cur;
        }
        return changes;
    }

    static double resets(double[] v, int n) {
        int resets = 0;
        double prev = v[0];
        for (int i = 1; i < n; i++) {
            if (v[i] < prev) {
                resets++;
            }
            prev = v[i];
        }
        return resets;
    }

    /**
     * Prometheus' {@code quantile} (φ-quantile with linear interpolation between the closest ranks), over
     * {@code values[0..n)}, which it sorts (NaN first). Used by {@code quantile_over_time} and {@code quantile}.
     */
    static double quantile(double q, double[] values, int n) {
        if (n == 0 || Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        sortNaNFirst(values, n);
        double count = n;
        double rank = q * (count - 1);
        double lowerIndex = Math.max(0, Math.floor(rank));
        double upperIndex = Math.min(count - 1, lowerIndex + 1);
        double weight = rank - Math.floor(rank);
        return values[(int) lowerIndex] * (1 - weight) + values[(int) upperIndex] * weight;
    }

    /** Ascending with NaN first, as Prometheus' vectorByValueHeap orders. */
    static void sortNaNFirst(double[] values, int n) {
        Arrays.sort(values, 0, n); // Java sorts NaN last
        int nans = 0;
        while (nans < n && Double.isNaN(values[n - 1 - nans])) {
            nans++;
        }
        if (nans > 0) {
            System.arraycopy(values, 0, values, nans, n - nans);
            Arrays.fill(values, 0, nans, Double.NaN);
        }
    }
}
