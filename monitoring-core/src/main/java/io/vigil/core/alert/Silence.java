package io.vigil.core.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An Alertmanager silence: matchers, a time range, who created it and why. It mutes exactly the alerts all of
 * its matchers match while it is {@link State#ACTIVE}: pending before {@code startsAt}, active until
 * {@code endsAt}, expired from then on. Validated as Alertmanager validates silences: at least one matcher, not
 * all matchers matching the empty string (that would silence everything), {@code endsAt} not before
 * {@code startsAt}, an author. Immutable; {@link CorrelationEngine#expireSilence} sets {@code endsAt} to now.
 */
public final class Silence {

    /** Alertmanager's silence states. */
    public enum State {
        PENDING, ACTIVE, EXPIRED;

        /** The name Alertmanager's API uses. */
        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String id;
    private final List<Matcher> matchers;
    private final Instant startsAt;
    private final Instant endsAt;
    private final String createdBy;
    private final String comment;

    private Silence(Builder b) {
        this.id = b.id;
        this.matchers = List.copyOf(b.matchers);
        this.startsAt = b.startsAt;
        this.endsAt = b.endsAt;
        this.createdBy = b.createdBy;
        this.comment = b.comment == null ? "" : b.comment;
        if (matchers.isEmpty()) {
            throw new IllegalArgumentException("at least one matcher required");
        }
        boolean allMatchEmpty = true;
        for (Matcher m : matchers) {
            allMatchEmpty &= m.matches("");
        }
        if (allMatchEmpty) {
            throw new IllegalArgumentException("at least one matcher must not match the empty string");
        }
        if (startsAt == null) {
            throw new IllegalArgumentException("invalid zero start timestamp");
        }
        if (endsAt == null) {
            throw new IllegalArgumentException("invalid zero end timestamp");
        }
        if (endsAt.isBefore(startsAt)) {
            throw new IllegalArgumentException("end time must not be before start time");
        }
        if (createdBy == null || createdBy.isBlank()) {
            throw new IllegalArgumentException("createdBy is required");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Empty until the engine assigns one. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    public List<Matcher> matchers() {
        return matchers;
    }

    public Instant startsAt() {
        return startsAt;
    }

    public Instant endsAt() {
        return endsAt;
    }

    public String createdBy() {
        return createdBy;
    }

    public String comment() {
        return comment;
    }

    /** Alertmanager's {@code CalcSilenceState}. */
    public State state(Instant now) {
        if (now.isBefore(startsAt)) {
            return State.PENDING;
        }
        return now.isBefore(endsAt) ? State.ACTIVE : State.EXPIRED;
    }

    /** Whether every matcher matches {@code labels} (regardless of state). */
    public boolean matches(Map<String, String> labels) {
        return Matcher.allMatch(matchers, labels);
    }

    /** Whether it mutes {@code labels} at {@code now}. */
    boolean mutes(Map<String, String> labels, Instant now) {
        return state(now) == State.ACTIVE && matches(labels);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.matchers.addAll(matchers);
        b.startsAt = startsAt;
        b.endsAt = endsAt;
        b.createdBy = createdBy;
        b.comment = comment;
        return b;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Silence that && Objects.equals(id, that.id) && matchers.equals(that.matchers)
                && startsAt.equals(that.startsAt) && endsAt.equals(that.endsAt) && createdBy.equals(that.createdBy)
                && comment.equals(that.comment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, matchers, startsAt, endsAt);
    }

    @Override
    public String toString() {
        return "Silence[" + id + " " + Matcher.format(matchers) + " " + startsAt + ".." + endsAt + " by " + createdBy + "]";
    }

    public static final class Builder {
        private String id;
        private final List<Matcher> matchers = new ArrayList<>();
        private Instant startsAt;
        private Instant endsAt;
        private String createdBy;
        private String comment;

        private Builder() {
        }

        /** Leave unset for a new silence: the engine assigns a random UUID, as Alertmanager does. */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /** Alertmanager syntax, each string one or more matchers. */
        public Builder matchers(String... expressions) {
            for (String expression : expressions) {
                matchers.addAll(Matcher.parseList(expression));
            }
            return this;
        }

        public Builder matcher(Matcher... more) {
            Collections.addAll(matchers, more);
            return this;
        }

        public Builder startsAt(Instant startsAt) {
            this.startsAt = startsAt;
            return this;
        }

        public Builder endsAt(Instant endsAt) {
            this.endsAt = endsAt;
            return this;
        }

        public Builder createdBy(String createdBy) {
            this.createdBy = createdBy;
            return this;
        }

        public Builder comment(String comment) {
            this.comment = comment;
            return this;
        }

        public Silence build() {
            return new Silence(this);
        }
    }
}
