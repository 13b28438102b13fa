package io.vigil.core.cardinality;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vigil.core.catalog.MeterDefinition;
import io.vigil.core.catalog.MetricCatalog;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Bounds the number of distinct values of each (meter, tag) pair. Hands out one {@link TagLimiter}
 * per pair; values beyond the cap become {@link #OVERFLOW} and are counted in
 * {@code vigil.cardinality.overflow{meter,tag}}.
 */
public final class CardinalityGuard {

    /** The single value every tag value beyond its cap is replaced with. */
    public static final String OVERFLOW = "OTHER";

    private final MeterRegistry registry;
    private final CardinalityLimits limits;
    private final ConcurrentMap<String, TagLimiter> limiters = new ConcurrentHashMap<>();

    private CardinalityGuard(MeterRegistry registry, CardinalityLimits limits) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public static CardinalityGuard create(MeterRegistry registry) {
        return new CardinalityGuard(registry, CardinalityLimits.defaults());
    }

    /** A guard with {@code limits}; their series caps ({@link CardinalityLimits#seriesLimits()}) apply to the registry. */
    public static CardinalityGuard create(MeterRegistry registry, CardinalityLimits limits) {
        CardinalityGuard guard = new CardinalityGuard(registry, limits);
        limits.seriesLimits().forEach((meter, limit) -> meter.limitSeries(registry, limit));
        return guard;
    }

    /**
     * The limiter for {@code tag} on {@code meter}; the same instance for the same pair.
     *
     * @throws IllegalArgumentException when the meter declares no such tag
     */
    public TagLimiter limiter(MeterDefinition meter, String tag) {
        if (!meter.tagKeys().contains(tag)) {
            throw new IllegalArgumentException("Meter '" + meter.name() + "' has no tag '" + tag
                    + "'; its tags are " + meter.tagKeys());
        }
        return limiters.computeIfAbsent(meter.name() + '\u0000' + tag, key -> new TagLimiter(
                limits.limit(meter.name(), tag),
                MetricCatalog.VIGIL_CARDINALITY_OVERFLOW.counter(registry,
                        Tags.of("meter", meter.name(), "tag", tag))));
    }

    /**
     * The limiter for values of {@code tag} derived from client input (a normalized raw path), with its own
     * cap ({@link CardinalityLimits#untrustedLimit}): however many a client invents, they fill only this cap
     * and never take a slot from {@link #limiter}'s values. Overflow is counted with the trusted one's.
     */
    public TagLimiter untrustedLimiter(MeterDefinition meter, String tag) {
        if (!meter.tagKeys().contains(tag)) {
            throw new IllegalArgumentException("Meter '" + meter.name() + "' has no tag '" + tag
                    + "'; its tags are " + meter.tagKeys());
        }
        return limiters.computeIfAbsent(meter.name() + '\u0000' + tag + "\u0000untrusted", key -> new TagLimiter(
                limits.untrustedLimit(tag),
                MetricCatalog.VIGIL_CARDINALITY_OVERFLOW.counter(registry,
                        Tags.of("meter", meter.name(), "tag", tag))));
    }
}
