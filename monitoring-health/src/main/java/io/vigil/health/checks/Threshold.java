package io.vigil.health.checks;

import io.vigil.core.health.HealthStatus;

/**
 * A DEGRADED and a DOWN limit for one measured value. "Above" limits trip when the value reaches them
 * (utilization, error rate), "below" limits when the value falls under them (free space). An infinite
 * limit ({@code Double.POSITIVE_INFINITY} above, {@code 0} below) is off.
 */
final class Threshold {

    private final String name;
    private final double degraded;
    private final double down;
    private final boolean below;

    private Threshold(String name, double degraded, double down, boolean below) {
        this.name = name;
        this.degraded = degraded;
        this.down = down;
        this.below = below;
    }

    static Threshold above(String name, double degradedAt, double downAt) {
        requireNonNegative(name, degradedAt, downAt);
        if (degradedAt > downAt) {
            throw new IllegalArgumentException(name + ": the DEGRADED limit " + degradedAt
                    + " must not be above the DOWN limit " + downAt);
        }
        return new Threshold(name, degradedAt, downAt, false);
    }

    static Threshold below(String name, double degradedBelow, double downBelow) {
        requireNonNegative(name, degradedBelow, downBelow);
        if (degradedBelow < downBelow) {
            throw new IllegalArgumentException(name + ": the DEGRADED limit " + degradedBelow
                    + " must not be below the DOWN limit " + downBelow);
        }
        return new Threshold(name, degradedBelow, downBelow, true);
    }

    /** A ratio threshold: both limits within [0, 1] (an above-limit may also be off, i.e. infinite). */
    static Threshold ratioAbove(String name, double degradedAt, double downAt) {
        requireRatio(name, degradedAt, true);
        requireRatio(name, downAt, true);
        return above(name, degradedAt, downAt);
    }

    static Threshold ratioBelow(String name, double degradedBelow, double downBelow) {
        requireRatio(name, degradedBelow, false);
        requireRatio(name, downBelow, false);
        return below(name, degradedBelow, downBelow);
    }

    /** The status for {@code value}; an unmeasurable value (NaN, negative) is UP: no evidence of trouble. */
    HealthStatus evaluate(double value) {
        if (Double.isNaN(value) || value < 0) {
            return HealthStatus.UP;
        }
        if (below) {
            return value < down ? HealthStatus.DOWN : value < degraded ? HealthStatus.DEGRADED : HealthStatus.UP;
        }
        return value >= down ? HealthStatus.DOWN : value >= degraded ? HealthStatus.DEGRADED : HealthStatus.UP;
    }

    String name() {
        return name;
    }

    double degraded() {
        return degraded;
    }

    double down() {
        return down;
    }

    @Override
    public String toString() {
        return name + (below ? " below " : " at ") + degraded + "/" + down;
    }

    private static void requireNonNegative(String name, double degraded, double down) {
        if (Double.isNaN(degraded) || Double.isNaN(down) || degraded < 0 || down < 0) {
            throw new IllegalArgumentException(name + ": limits must be non-negative numbers but were "
                    + degraded + " and " + down);
        }
    }

    private static void requireRatio(String name, double limit, boolean mayBeOff) {
        boolean off = mayBeOff && limit == Double.POSITIVE_INFINITY;
        if (!off && !(limit >= 0 && limit <= 1)) {
            throw new IllegalArgumentException(name + ": a ratio limit must be within [0, 1] but was " + limit);
        }
    }
}
