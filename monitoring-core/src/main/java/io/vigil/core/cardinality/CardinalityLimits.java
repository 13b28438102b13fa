package io.vigil.core.cardinality;

import io.vigil.core.catalog.MeterDefinition;

import java.util.HashMap;
import java.util.Map;

/**
 * How many distinct values each tag of each meter may take before new values fold into
 * {@link CardinalityGuard#OVERFLOW}. Immutable; built with {@link #builder()}.
 *
 * <p>Defaults are sized for production: 100 values for {@code uri} (a service rarely has more routes),
 * 100 for everything else; separately, 100 <em>untrusted</em> values per tag (values derived from client input,
 * such as a normalized raw path, admitted under their own cap so they can never crowd out the values the
 * application declares); and {@value MeterDefinition#DEFAULT_SERIES_LIMIT} series per meter
 * ({@link Builder#series}), which bounds the product of the tags.
 */
public final class CardinalityLimits {

    public static final int DEFAULT_LIMIT = 100;
    public static final int DEFAULT_URI_LIMIT = 100;
    public static final int DEFAULT_UNTRUSTED_LIMIT = 100;

    private final int defaultLimit;
    private final Map<String, Integer> byTag;
    private final Map<String, Integer> byMeterAndTag;
    private final Map<String, Integer> untrustedByTag;
    private final Map<MeterDefinition, Integer> seriesByMeter;

    private CardinalityLimits(Builder builder) {
        this.defaultLimit = builder.defaultLimit;
        this.byTag = Map.copyOf(builder.byTag);
        this.byMeterAndTag = Map.copyOf(builder.byMeterAndTag);
        this.untrustedByTag = Map.copyOf(builder.untrustedByTag);
        this.seriesByMeter = Map.copyOf(builder.seriesByMeter);
    }

    public static CardinalityLimits defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The cap for {@code tag} on {@code meter}: the most specific setting wins. */
    public int limit(String meter, String tag) {
        Integer specific = byMeterAndTag.get(meter + '\u0000' + tag);
        if (specific != null) {
            return specific;
        }
        return byTag.getOrDefault(tag, defaultLimit);
    }

    /** The separate cap for untrusted values (derived from client input) of {@code tag}. */
    public int untrustedLimit(String tag) {
        return untrustedByTag.getOrDefault(tag, DEFAULT_UNTRUSTED_LIMIT);
    }

    /** The series caps set with {@link Builder#series}; other meters keep their default. */
    public Map<MeterDefinition, Integer> seriesLimits() {
        return seriesByMeter;
    }

    public static final class Builder {
        private int defaultLimit = DEFAULT_LIMIT;
        private final Map<String, Integer> byTag = new HashMap<>(Map.of("uri", DEFAULT_URI_LIMIT));
        private final Map<String, Integer> byMeterAndTag = new HashMap<>();
        private final Map<String, Integer> untrustedByTag = new HashMap<>();
        private final Map<MeterDefinition, Integer> seriesByMeter = new HashMap<>();

        private Builder() {
        }

        /** The cap for any tag not configured otherwise. */
        public Builder defaultLimit(int limit) {
            this.defaultLimit = checked(limit);
            return this;
        }

        /** The cap for {@code tag} on every meter. */
        public Builder tag(String tag, int limit) {
            byTag.put(requireName(tag), checked(limit));
            return this;
        }

        /** The cap for {@code tag} on one meter; it wins over {@link #tag}. */
        public Builder tag(MeterDefinition meter, String tag, int limit) {
            if (!meter.tagKeys().contains(tag)) {
                throw new IllegalArgumentException("Meter '" + meter.name() + "' has no tag '" + tag
                        + "'; its tags are " + meter.tagKeys());
            }
            byMeterAndTag.put(meter.name() + '\u0000' + tag, checked(limit));
            return this;
        }

        /**
         * The cap for untrusted values of {@code tag} (default {@value #DEFAULT_UNTRUSTED_LIMIT}), counted apart
         * from the trusted ones: for {@code uri}, normalized raw paths versus declared routes and mappings.
         */
        public Builder untrusted(String tag, int limit) {
            untrustedByTag.put(requireName(tag), checked(limit));
            return this;
        }

        /**
         * The most series (distinct tag sets) {@code meter} may have on the registry (default
         * {@value MeterDefinition#DEFAULT_SERIES_LIMIT}); later ones fold into an overflow series with
         * {@code OTHER} values, counted in {@code vigil.cardinality.overflow{meter,tag="series"}}.
         */
        public Builder series(MeterDefinition meter, int limit) {
            if (limit < 1 || limit > 1_000_000) {
                throw new IllegalArgumentException("A series limit must be between 1 and 1000000, was " + limit);
            }
            seriesByMeter.put(meter, limit);
            return this;
        }

        public CardinalityLimits build() {
            return new CardinalityLimits(this);
        }

        private static int checked(int limit) {
            if (limit < 1 || limit > 100_000) {
                throw new IllegalArgumentException("A cardinality limit must be between 1 and 100000, was " + limit);
            }
            return limit;
        }

        private static String requireName(String tag) {
            if (tag == null || tag.isBlank()) {
                throw new IllegalArgumentException("Tag key must not be blank");
            }
            return tag;
        }
    }
}
