package io.vigil.core.catalog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * One meter of the catalog: its name, kind, base unit, description and the exact set of tag keys
 * every series of it carries.
 *
 * <p>Adapters register meters only through these methods, so a tag key the catalog does not declare
 * fails when the meter is first registered (configuration time), never silently at scrape time.
 * Prometheus requires every series of one name to carry the same label names, hence "exact":
 * a missing key is as much an error as an unknown one.
 *
 * <p>Every counter, timer, summary and long task timer registered here is also held to a series budget per
 * registry ({@link #DEFAULT_SERIES_LIMIT}, {@link #limitSeries}): per-tag caps bound each tag, the budget bounds
 * their product. Gauges and function counters are not budgeted: their values cannot be summed into one overflow
 * series, and Vigil registers them only for things it owns (pools, checks, disks), never per request.
 */
public final class MeterDefinition {

    /**
     * How many series (distinct tag sets) a counter, timer, summary or long task timer may have on one registry
     * unless {@link #limitSeries} says otherwise; later tag sets fold into one overflow series per closed-enum
     * value ({@code outcome}, {@code result}), their other tag values {@code OTHER}.
     */
    public static final int DEFAULT_SERIES_LIMIT = 1_000;

    private final String name;
    private final MeterType type;
    private final String baseUnit;
    private final String description;
    private final Set<String> tagKeys;
    private final Duration[] buckets;

    MeterDefinition(String name, MeterType type, String baseUnit, String description, String... tagKeys) {
        this(name, type, baseUnit, description, null, tagKeys);
    }

    /**
     * A timer whose histogram buckets the catalog fixes, for a meter several adapters record into: Prometheus
     * needs one type per metric family, so the JDBC and Redis series of one name must agree on having buckets.
     */
    MeterDefinition(String name, MeterType type, String baseUnit, String description, Duration[] buckets,
            String... tagKeys) {
        this.buckets = buckets == null ? null : buckets.clone();
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.baseUnit = baseUnit;
        this.description = Objects.requireNonNull(description, "description");
        Set<String> keys = new LinkedHashSet<>();
        for (String key : tagKeys) {
            if (!keys.add(key)) {
                throw new IllegalArgumentException("Duplicate tag key '" + key + "' in catalog entry " + name);
            }
        }
        this.tagKeys = Collections.unmodifiableSet(keys);
    }

    public String name() {
        return name;
    }

    public MeterType type() {
        return type;
    }

    /** The base unit (for example {@code seconds}, {@code bytes}), or {@code null} for a plain number. */
    public String baseUnit() {
        return baseUnit;
    }

    public String description() {
        return description;
    }

    /** The tag keys, in declaration order. */
    public Set<String> tagKeys() {
        return tagKeys;
    }

    /**
     * Checks that {@code tags} carry exactly this meter's tag keys.
     *
     * @throws IllegalArgumentException naming the unknown and the missing keys
     */
    public Tags validate(Iterable<Tag> tags) {
        Tags checked = Tags.of(tags);
        List<String> unknown = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Tag tag : checked) {
            if (tagKeys.contains(tag.getKey())) {
                seen.add(tag.getKey());
            } else {
                unknown.add(tag.getKey());
            }
        }
        if (!unknown.isEmpty() || seen.size() != tagKeys.size()) {
            List<String> missing = new ArrayList<>(tagKeys);
            missing.removeAll(seen);
            throw new IllegalArgumentException("Meter '" + name + "' takes exactly the tag keys " + tagKeys
                    + (unknown.isEmpty() ? "" : "; not allowed: " + unknown)
                    + (missing.isEmpty() ? "" : "; missing: " + missing));
        }
        return checked;
    }

    /**
     * Caps the series of this meter on {@code registry} (see {@link #DEFAULT_SERIES_LIMIT}); for
     * {@code CardinalityGuard}, which applies {@code CardinalityLimits}. Series already admitted stay.
     */
    public void limitSeries(MeterRegistry registry, int limit) {
        if (limit < 1 || limit > 1_000_000) {
            throw new IllegalArgumentException("A series limit must be between 1 and 1000000, was " + limit);
        }
        SeriesBudget.of(registry, this).limit(limit);
    }

    /** The series cap of this meter on {@code registry}. */
    public int seriesLimit(MeterRegistry registry) {
        return SeriesBudget.of(registry, this).limit();
    }

    /**
     * The tags a new series is registered with: {@code tags} within the budget, else the overflow tags. Vigil's
     * own meters are exempt (bounded by construction, and the overflow counter must not budget itself).
     */
    private Tags budgeted(MeterRegistry registry, Tags tags) {
        if (name.startsWith("vigil.") || tagKeys.isEmpty()) {
            return tags;
        }
        return SeriesBudget.of(registry, this).admit(registry, tags);
    }

    public Counter counter(MeterRegistry registry, Iterable<Tag> tags) {
        expect(MeterType.COUNTER);
        return Counter.builder(name).description(description).baseUnit(baseUnit)
                .tags(budgeted(registry, validate(tags))).register(registry);
    }

    /** A counter whose value is read from {@code obj} (for totals another component already keeps). */
    public <T> FunctionCounter functionCounter(MeterRegistry registry, Iterable<Tag> tags, T obj,
            ToDoubleFunction<T> total) {
        expect(MeterType.COUNTER);
        return FunctionCounter.builder(name, obj, total).description(description).baseUnit(baseUnit)
                .tags(validate(tags)).register(registry);
    }

    /** A gauge holding a strong reference to {@code obj}: Vigil's gauges watch objects Vigil owns. */
    public <T> Gauge gauge(MeterRegistry registry, Iterable<Tag> tags, T obj, ToDoubleFunction<T> value) {
        expect(MeterType.GAUGE);
        return Gauge.builder(name, obj, value).description(description).baseUnit(baseUnit).tags(validate(tags))
                .strongReference(true).register(registry);
    }

    public Timer timer(MeterRegistry registry, Iterable<Tag> tags) {
        return timer(registry, tags, UnaryOperator.identity());
    }

    /**
     * A timer; {@code customizer} sets histogram, SLO and percentile options but not the name or tags. Where the
     * catalog fixes this meter's buckets ({@link #buckets()}), they replace any SLOs the customizer set.
     */
    public Timer timer(MeterRegistry registry, Iterable<Tag> tags, UnaryOperator<Timer.Builder> customizer) {
        expect(MeterType.TIMER);
        Tags checked = budgeted(registry, validate(tags));
        Timer.Builder builder = customizer.apply(Timer.builder(name).description(description));
        if (buckets != null) {
            builder.serviceLevelObjectives(buckets);
        }
        return builder.tags(checked).register(registry);
    }

    /** The histogram buckets every series of this timer has, or an empty array when adapters choose. */
    public Duration[] buckets() {
        return buckets == null ? new Duration[0] : buckets.clone();
    }

    public LongTaskTimer longTaskTimer(MeterRegistry registry, Iterable<Tag> tags) {
        expect(MeterType.LONG_TASK_TIMER);
        return LongTaskTimer.builder(name).description(description).tags(budgeted(registry, validate(tags)))
                .register(registry);
    }

    public DistributionSummary summary(MeterRegistry registry, Iterable<Tag> tags) {
        return summary(registry, tags, UnaryOperator.identity());
    }

    public DistributionSummary summary(MeterRegistry registry, Iterable<Tag> tags,
            UnaryOperator<DistributionSummary.Builder> customizer) {
        expect(MeterType.DISTRIBUTION_SUMMARY);
        Tags checked = budgeted(registry, validate(tags));
        return customizer.apply(DistributionSummary.builder(name).description(description).baseUnit(baseUnit))
                .tags(checked).register(registry);
    }

    private void expect(MeterType expected) {
        if (type != expected) {
            throw new IllegalStateException("Meter '" + name + "' is a " + type + " in the catalog, not a " + expected);
        }
    }

    @Override
    public String toString() {
        return name + "(" + type + ", " + tagKeys + ")";
    }
}
