package io.vigil.core.health;

/**
 * The status of a check or of an aggregate, in order of severity for aggregation:
 * {@code DOWN > OUT_OF_SERVICE > DEGRADED > UP > UNKNOWN}.
 */
public enum HealthStatus {
    UNKNOWN(0),
    UP(1),
    DEGRADED(2),
    OUT_OF_SERVICE(3),
    DOWN(4);

    private final int severity;

    HealthStatus(int severity) {
        this.severity = severity;
    }

    public int severity() {
        return severity;
    }

    /** Whether a probe should answer 200: UP, DEGRADED and UNKNOWN serve; DOWN and OUT_OF_SERVICE do not. */
    public boolean isServing() {
        return this != DOWN && this != OUT_OF_SERVICE;
    }

    /** The HTTP status a health endpoint answers with: 200 when serving, else 503. */
    public int httpStatus() {
        return isServing() ? 200 : 503;
    }

    /** The more severe of the two. */
    public HealthStatus worst(HealthStatus other) {
        return other.severity > severity ? other : this;
    }
}
