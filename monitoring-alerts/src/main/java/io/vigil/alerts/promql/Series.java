package io.vigil.alerts.promql;

/**
 * One series' points in a time range, ascending by timestamp, as a {@link SeriesSource} returns them.
 * A point whose value is {@link #STALE_NAN} is Prometheus' staleness marker: the series ended there.
 *
 * @param labels     the series' labels, metric name included as {@code __name__}
 * @param timestamps milliseconds since the epoch, strictly ascending
 * @param values     one value per timestamp
 */
public record Series(Labels labels, long[] timestamps, double[] values) {

    /** Prometheus' staleness marker, bit for bit ({@code value.StaleNaN}). */
    public static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

    public Series {
        if (timestamps.length != values.length) {
            throw new IllegalArgumentException("one value per timestamp");
        }
    }

    /** Whether {@code v} is the staleness marker (not any NaN: a NaN sample is a real value). */
    public static boolean isStaleMarker(double v) {
        return Double.doubleToRawLongBits(v) == 0x7ff0000000000002L;
    }
}
