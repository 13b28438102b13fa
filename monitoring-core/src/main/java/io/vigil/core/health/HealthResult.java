package io.vigil.core.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The answer of one check: a status, details for people (latency, free bytes, the threshold crossed),
 * and — filled in by the runtime — when it ran and how long it took. Immutable.
 */
public final class HealthResult {

    private final HealthStatus status;
    private final Map<String, Object> details;
    private final Duration duration;
    private final Instant checkedAt;

    private HealthResult(HealthStatus status, Map<String, Object> details, Duration duration, Instant checkedAt) {
        this.status = status;
        this.details = details;
        this.duration = duration;
        this.checkedAt = checkedAt;
    }

    public static HealthResult up() {
        return builder(HealthStatus.UP).build();
    }

    public static HealthResult down() {
        return builder(HealthStatus.DOWN).build();
    }

    /** DOWN with the error's type and message in the details (check messages carry no secrets). */
    public static HealthResult down(Throwable error) {
        return builder(HealthStatus.DOWN).error(error).build();
    }

    public static HealthResult unknown() {
        return builder(HealthStatus.UNKNOWN).build();
    }

    public static Builder builder(HealthStatus status) {
        return new Builder(status);
    }

    public HealthStatus status() {
        return status;
    }

    /** Details in insertion order; unmodifiable. */
    public Map<String, Object> details() {
        return details;
    }

    /** How long the check took, or null if the runtime has not timed it. */
    public Duration duration() {
        return duration;
    }

    /** When the check finished, or null if the runtime has not stamped it. */
    public Instant checkedAt() {
        return checkedAt;
    }

    /** This result stamped with its timing; used by the runtime that ran the check. */
    public HealthResult timed(Duration duration, Instant checkedAt) {
        return new HealthResult(status, details, Objects.requireNonNull(duration), Objects.requireNonNull(checkedAt));
    }

    public Builder toBuilder() {
        Builder builder = new Builder(status);
        builder.details.putAll(details);
        return builder;
    }

    @Override
    public String toString() {
        return status + (details.isEmpty() ? "" : " " + details);
    }

    public static final class Builder {
        private HealthStatus status;
        private final Map<String, Object> details = new LinkedHashMap<>();

        private Builder(HealthStatus status) {
            this.status = Objects.requireNonNull(status, "status");
        }

        public Builder status(HealthStatus status) {
            this.status = Objects.requireNonNull(status, "status");
            return this;
        }

        /** Adds a detail; values are strings, numbers, booleans, or maps and lists of them. */
        public Builder detail(String key, Object value) {
            details.put(Objects.requireNonNull(key, "key"), value);
            return this;
        }

        public Builder error(Throwable error) {
            details.put("error", error.getClass().getName()
                    + (error.getMessage() == null ? "" : ": " + error.getMessage()));
            return this;
        }

        public HealthResult build() {
            return new HealthResult(status, Collections.unmodifiableMap(new LinkedHashMap<>(details)), null, null);
        }
    }
}
