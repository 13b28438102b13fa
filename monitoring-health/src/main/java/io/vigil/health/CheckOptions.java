package io.vigil.health;

import io.vigil.core.health.HealthSource;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How one check is run and counted: the groups (probes) it belongs to, how often it runs, how long it may
 * take, and whether its DOWN takes the aggregate DOWN (critical) or only DEGRADED. Immutable.
 *
 * <p>Defaults: group {@code readiness}, every 10 s, 5 s timeout, critical. A check in no group at all is
 * rejected: every check belongs to at least one probe, so its {@code health.status} series has a group.
 */
public final class CheckOptions {

    private static final Pattern GROUP_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    static final CheckOptions DEFAULTS = builder().build();

    private final Set<String> groups;
    private final Duration interval;
    private final Duration timeout;
    private final boolean critical;

    private CheckOptions(Builder builder) {
        this.groups = Collections.unmodifiableSet(new LinkedHashSet<>(builder.groups));
        this.interval = builder.interval;
        this.timeout = builder.timeout;
        this.critical = builder.critical;
    }

    public static CheckOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Set<String> groups() {
        return groups;
    }

    public Duration interval() {
        return interval;
    }

    public Duration timeout() {
        return timeout;
    }

    public boolean critical() {
        return critical;
    }

    @Override
    public String toString() {
        return "CheckOptions" + groups + " every " + interval + ", timeout " + timeout
                + (critical ? ", critical" : ", non-critical");
    }

    public static final class Builder {
        private final Set<String> groups = new LinkedHashSet<>(Set.of(HealthSource.READINESS));
        private boolean groupsSet;
        private Duration interval = Duration.ofSeconds(10);
        private Duration timeout = Duration.ofSeconds(5);
        private boolean critical = true;

        private Builder() {
        }

        /**
         * The groups this check belongs to, replacing the default {@code readiness}: {@code liveness},
         * {@code readiness}, {@code startup} or a custom name (lower case letters, digits, {@code _ . -}).
         */
        public Builder groups(String... names) {
            groups.clear();
            groupsSet = true;
            for (String name : names) {
                if (name == null || !GROUP_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("Invalid group name '" + name
                            + "': use 1-63 lower case letters, digits, '_', '.' or '-'");
                }
                groups.add(name);
            }
            return this;
        }

        /** How often the check runs; at least 10 ms. */
        public Builder interval(Duration interval) {
            this.interval = atLeast(interval, Duration.ofMillis(10), "interval");
            return this;
        }

        /** How long one run may take before it is reported DOWN and interrupted; at least 1 ms. */
        public Builder timeout(Duration timeout) {
            this.timeout = atLeast(timeout, Duration.ofMillis(1), "timeout");
            return this;
        }

        /** A non-critical check that is DOWN makes the aggregate DEGRADED instead of DOWN. */
        public Builder critical(boolean critical) {
            this.critical = critical;
            return this;
        }

        public CheckOptions build() {
            if (groupsSet && groups.isEmpty()) {
                throw new IllegalArgumentException("A check must belong to at least one group");
            }
            return new CheckOptions(this);
        }

        private static Duration atLeast(Duration value, Duration min, String what) {
            Objects.requireNonNull(value, what);
            if (value.compareTo(min) < 0) {
                throw new IllegalArgumentException(what + " must be at least " + min + " but was " + value);
            }
            return value;
        }
    }
}
