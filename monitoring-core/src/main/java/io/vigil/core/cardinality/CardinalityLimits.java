package io.vigil.core.cardinality;

import io.vigil.core.catalog.MeterDefinition;

import java.util.HashMap;
import java.util.Map;

/**
 * How many distinct values each tag of each meter may take before new values fold into
 * {@link CardinalityGuard#OVERFLOW}. Immutable; built with {@link #builder()}.
 *
 * <p>Defaults are sized for production: 100 values for {@code uri} (a service rarely has more routes),
 * 100 for everything else, which keeps one meter at a few thousand series at worst.
 */
public final class CardinalityLimits {

    public static final int DEFAULT_LIMIT = 100;
    public static final int DEFAULT_URI_LIMIT = 100;

    private final int defaultLimit;
    private final Map<String, Integer> byTag;
    private final Map<String, Integer> byMeterAndTag;

    private CardinalityLimits(Builder builder) {
        this.defaultLimit = builder.defaultLimit;
        this.byTag = Map.copyOf(builder.byTag);
        this.byMeterAndTag = Map.copyOf(builder.byMeterAndTag);
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

    public static final class Builder {
        private int defaultLimit = DEFAULT_LIMIT;
        private final Map<String, Integer> byTag = new HashMap<>(Map.of("uri", DEFAULT_URI_LIMIT));
        private final Map<String, Integer> byMeterAndTag = new HashMap<>();

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
