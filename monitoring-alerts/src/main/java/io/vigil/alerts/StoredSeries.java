package io.vigil.alerts;

import io.vigil.alerts.promql.Labels;
import io.vigil.alerts.promql.Series;

/**
 * One series of the store: its labels and a ring of values, one slot per evaluation tick. Timestamps are the
 * store's (all series of one tick share it), so a point costs 8 bytes. A tick the series was not written in
 * reads as "no point".
 */
final class StoredSeries {

    final Labels labels;
    /** Written by recording rules (stale-marked by their group), not by the registry scrape. */
    final boolean recorded;
    private final double[] values;
    private long lastTick = -1;
    private long firstTick = -1;
    /** Time of the last real (non-stale) sample, for removal after five minutes without one. */
    long lastSeenMillis;
    boolean stale;

    StoredSeries(Labels labels, int capacity, boolean recorded) {
        this.labels = labels;
        this.recorded = recorded;
        this.values = new double[capacity];
    }

    int capacity() {
        return values.length;
    }

    long lastTick() {
        return lastTick;
    }

    void write(long tick, long timeMillis, double value) {
        if (firstTick < 0) {
            firstTick = tick;
        } else if (lastTick >= 0 && tick > lastTick + 1) {
            // Ticks without a sample in between: remember them as gaps.
            for (long t = Math.max(lastTick + 1, tick - values.length + 1); t < tick; t++) {
                values[(int) (t % values.length)] = SeriesStore.NO_POINT;
            }
        }
        values[(int) (tick % values.length)] = value;
        lastTick = Math.max(lastTick, tick);
        if (Series.isStaleMarker(value)) {
            stale = true;
        } else {
            stale = false;
            lastSeenMillis = timeMillis;
        }
    }

    /** The points in ticks {@code [fromTick, toTick]} whose time lies in {@code [min, max]}, or null when none. */
    Series read(long fromTick, long toTick, long[] tickTimes, long minMillis, long maxMillis) {
        long from = Math.max(Math.max(fromTick, firstTick), lastTick - values.length + 1);
        long to = Math.min(toTick, lastTick);
        if (from > to) {
            return null;
        }
        // Two passes (count, then copy) walking both rings by index: no division per point, no scratch buffer.
        int span = (int) (to - from + 1);
        int timeStart = (int) (from % tickTimes.length);
        int valueStart = (int) (from % values.length);
        int n = 0;
        for (int k = 0, ti = timeStart, vi = valueStart; k < span; k++) {
            long time = tickTimes[ti];
            if (time >= minMillis && time <= maxMillis && !isNoPoint(values[vi])) {
                n++;
            }
            if (++ti == tickTimes.length) {
                ti = 0;
            }
            if (++vi == values.length) {
                vi = 0;
            }
        }
        if (n == 0) {
            return null;
        }
        long[] times = new long[n];
        double[] points = new double[n];
        int i = 0;
        for (int k = 0, ti = timeStart, vi = valueStart; k < span; k++) {
            long time = tickTimes[ti];
            double v = values[vi];
            if (time >= minMillis && time <= maxMillis && !isNoPoint(v)) {
                times[i] = time;
                points[i++] = v;
            }
            if (++ti == tickTimes.length) {
                ti = 0;
            }
            if (++vi == values.length) {
                vi = 0;
            }
        }
        return new Series(labels, times, points);
    }

    static boolean isNoPoint(double v) {
        return Double.doubleToRawLongBits(v) == SeriesStore.NO_POINT_BITS;
    }
}
