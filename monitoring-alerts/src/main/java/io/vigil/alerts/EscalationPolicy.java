package io.vigil.alerts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Who is told about an incident, and when, until someone acknowledges it. Level 0 is notified
 * {@code delay} after the incident opens (usually at once); each next level {@code delay} after the previous one,
 * as PagerDuty's escalation rules count. After the last level, the last level is re-notified every
 * {@link #repeatInterval()} while nobody acknowledges. Acknowledging stops all of it; resolving ends the incident
 * and tells every level notified so far that it is resolved.
 *
 * <pre>{@code
 * EscalationPolicy.builder()
 *     .level(Duration.ZERO, "slack-oncall")
 *     .level(Duration.ofMinutes(15), "pagerduty-primary")
 *     .level(Duration.ofMinutes(15), "pagerduty-secondary", "email-leads")
 *     .repeatEvery(Duration.ofHours(1))
 *     .build();
 * }</pre>
 */
public final class EscalationPolicy {

    private final List<Level> levels;
    private final Duration repeatInterval;

    private EscalationPolicy(Builder b) {
        this.levels = List.copyOf(b.levels);
        this.repeatInterval = b.repeatInterval;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Level> levels() {
        return levels;
    }

    /** The re-notification interval at the last level, or {@code null} for none. */
    public Duration repeatInterval() {
        return repeatInterval;
    }

    @Override
    public String toString() {
        return "EscalationPolicy{levels=" + levels + ", repeatEvery=" + repeatInterval + "}";
    }

    /** One level: its delay and the channels it notifies. */
    public static final class Level {
        private final Duration delay;
        private final List<String> channels;

        private Level(Duration delay, List<String> channels) {
            this.delay = delay;
            this.channels = List.copyOf(channels);
        }

        public Duration delay() {
            return delay;
        }

        public List<String> channels() {
            return channels;
        }

        @Override
        public String toString() {
            return "Level{after " + delay + " -> " + channels + "}";
        }
    }

    /** Builds an {@link EscalationPolicy}. */
    public static final class Builder {
        private final List<Level> levels = new ArrayList<>();
        private Duration repeatInterval;

        private Builder() {
        }

        /** Adds the next level: notified {@code delay} after the previous level (the first: after opening). */
        public Builder level(Duration delay, String... channels) {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("escalation level delay must not be negative: " + delay);
            }
            if (channels.length == 0) {
                throw new IllegalArgumentException("escalation level " + levels.size() + " names no channel");
            }
            for (String c : channels) {
                AlertNotification.requireText(c, "channel name");
            }
            levels.add(new Level(delay, List.of(channels)));
            return this;
        }

        /** Re-notifies the last level at this interval while the incident is unacknowledged. */
        public Builder repeatEvery(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("repeat interval must be positive");
            }
            this.repeatInterval = interval;
            return this;
        }

        public EscalationPolicy build() {
            if (levels.isEmpty()) {
                throw new IllegalArgumentException("an escalation policy needs at least one level");
            }
            return new EscalationPolicy(this);
        }
    }
}
