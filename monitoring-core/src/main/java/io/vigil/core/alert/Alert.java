package io.vigil.core.alert;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An alert as Alertmanager models it: identifying labels, descriptive annotations, when it started, when it ends
 * and the URL of what generated it. Immutable.
 *
 * <p>Its {@link #fingerprint()} is Alertmanager's: the same FNV-1a hash of the labels, rendered as 16 hex digits,
 * so an alert has the same id here, in Alertmanager's API and in its webhook payloads. As in Alertmanager's API,
 * labels with an empty value are dropped (an empty value means "no such label"), at least one label must remain,
 * and label names are Prometheus' classic names ({@code [a-zA-Z_][a-zA-Z0-9_]*}).
 *
 * <p>An alert without {@code endsAt} is open-ended: the {@link CorrelationEngine} gives it Alertmanager's
 * {@code resolve_timeout}. It is resolved once {@code endsAt <= now}.
 */
public final class Alert {

    private final SortedMap<String, String> labels;
    private final Map<String, String> annotations;
    private final Instant startsAt;
    private final Instant endsAt;
    private final String generatorUrl;
    private final long fingerprint;

    private Alert(Builder builder) {
        TreeMap<String, String> sorted = new TreeMap<>(LabelSets.CODE_POINT_ORDER);
        builder.labels.forEach((name, value) -> {
            if (!value.isEmpty()) {
                sorted.put(name, value);
            }
        });
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("an alert needs at least one label with a non-empty value");
        }
        if (builder.startsAt == null) {
            throw new IllegalArgumentException("startsAt is required (alert " + sorted + ")");
        }
        if (builder.endsAt != null && builder.endsAt.isBefore(builder.startsAt)) {
            throw new IllegalArgumentException("endsAt " + builder.endsAt + " is before startsAt " + builder.startsAt
                    + " (alert " + sorted + ")");
        }
        this.labels = Collections.unmodifiableSortedMap(sorted);
        this.annotations = Collections.unmodifiableMap(new LinkedHashMap<>(builder.annotations));
        this.startsAt = builder.startsAt;
        this.endsAt = builder.endsAt;
        this.generatorUrl = builder.generatorUrl;
        this.fingerprint = LabelSets.fingerprint(this.labels);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Shortcut: an open-ended alert with these labels ({@code name, value, name, value, ...}). */
    public static Alert firing(Instant startsAt, String... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        Builder builder = builder().startsAt(startsAt);
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            builder.label(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return builder.build();
    }

    /** Labels in code point order of their names (as Go sorts them). */
    public SortedMap<String, String> labels() {
        return labels;
    }

    /** The {@code alertname} label, or the empty string. */
    public String name() {
        return labels.getOrDefault("alertname", "");
    }

    public Map<String, String> annotations() {
        return annotations;
    }

    public Instant startsAt() {
        return startsAt;
    }

    /** Empty for an open-ended (firing) alert. */
    public Optional<Instant> endsAt() {
        return Optional.ofNullable(endsAt);
    }

    Instant endsAtOrNull() {
        return endsAt;
    }

    /** Empty when not given. */
    public Optional<String> generatorUrl() {
        return Optional.ofNullable(generatorUrl);
    }

    /** Alertmanager's {@code model.Alert.ResolvedAt}: {@code endsAt} is set and not after {@code now}. */
    public boolean isResolved(Instant now) {
        return endsAt != null && !endsAt.isAfter(now);
    }

    /** Alertmanager's fingerprint of the labels as 16 lower-case hex digits, e.g. {@code 73dbeed5635ea4e4}. */
    public String fingerprint() {
        return LabelSets.hex(fingerprint);
    }

    /** The same fingerprint as a number (Go's {@code uint64} bits). */
    public long fingerprintBits() {
        return fingerprint;
    }

    /** A builder holding this alert's fields. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.labels.putAll(labels);
        builder.annotations.putAll(annotations);
        builder.startsAt = startsAt;
        builder.endsAt = endsAt;
        builder.generatorUrl = generatorUrl;
        return builder;
    }

    /** This alert with another {@code endsAt} ({@code null}: open-ended). */
    public Alert withEndsAt(Instant newEndsAt) {
        if (Objects.equals(newEndsAt, endsAt)) {
            return this;
        }
        return toBuilder().endsAt(newEndsAt).build();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Alert that && fingerprint == that.fingerprint && labels.equals(that.labels)
                && annotations.equals(that.annotations) && startsAt.equals(that.startsAt)
                && Objects.equals(endsAt, that.endsAt) && Objects.equals(generatorUrl, that.generatorUrl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fingerprint, startsAt, endsAt);
    }

    @Override
    public String toString() {
        return name() + "[" + fingerprint() + "]" + LabelSets.format(labels) + " " + startsAt + ".."
                + (endsAt == null ? "" : endsAt);
    }

    public static final class Builder {
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, String> annotations = new LinkedHashMap<>();
        private Instant startsAt;
        private Instant endsAt;
        private String generatorUrl;

        private Builder() {
        }

        public Builder label(String name, String value) {
            if (!LabelSets.isValidName(name)) {
                throw new IllegalArgumentException("invalid label name '" + name + "': must match [a-zA-Z_][a-zA-Z0-9_]*");
            }
            labels.put(name, Objects.requireNonNull(value, "value of label " + name));
            return this;
        }

        public Builder labels(Map<String, String> more) {
            more.forEach(this::label);
            return this;
        }

        public Builder annotation(String name, String value) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("annotation name must not be empty");
            }
            annotations.put(name, Objects.requireNonNull(value, "value of annotation " + name));
            return this;
        }

        public Builder annotations(Map<String, String> more) {
            more.forEach(this::annotation);
            return this;
        }

        public Builder startsAt(Instant startsAt) {
            this.startsAt = startsAt;
            return this;
        }

        /** {@code null} (the default): open-ended. */
        public Builder endsAt(Instant endsAt) {
            this.endsAt = endsAt;
            return this;
        }

        public Builder generatorUrl(String generatorUrl) {
            this.generatorUrl = generatorUrl;
            return this;
        }

        public Alert build() {
            return new Alert(this);
        }
    }
}
