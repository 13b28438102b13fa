package io.vigil.core.catalog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The series budget of one meter on one registry: the first {@code limit} distinct tag sets become series of
 * their own; every later one is folded into an overflow series whose tag values are all {@code OTHER} except
 * the few closed-enum keys that alerting needs ({@code outcome}, {@code result}), and is counted in
 * {@code vigil.cardinality.overflow{meter,tag="series"}}.
 *
 * <p>Per-tag caps bound each tag; this bounds their product, which is what the scrape pays for. It is consulted
 * only when a meter is registered — adapters cache their meters — so the request path never sees it. Admission
 * is exact under races (a slot is reserved by CAS inside the map's per-bin insert, as {@code TagLimiter} does)
 * and memory is bounded by the limit: rejected tag sets are not remembered.
 */
final class SeriesBudget {

    /** What a folded tag value becomes; the same value {@code CardinalityGuard.OVERFLOW} uses. */
    static final String OVERFLOW = "OTHER";

    /** Tag keys kept on the overflow series: closed enums (six outcomes, hit/miss) that ratios are built on. */
    private static final Set<String> KEPT_ON_OVERFLOW = Set.of("outcome", "result");

    /**
     * Budgets by registry, weakly: a registry that is dropped takes its budgets with it. The values must not
     * reference the registry (that would pin the key), hence the registry passed to {@link #admit}.
     */
    private static final Map<MeterRegistry, ConcurrentHashMap<String, SeriesBudget>> BY_REGISTRY =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final String meter;
    private volatile int limit;
    private final ConcurrentHashMap<Tags, Boolean> admitted = new ConcurrentHashMap<>();
    private final AtomicInteger reserved = new AtomicInteger();
    private volatile Counter overflow;

    private SeriesBudget(String meter, int limit) {
        this.meter = meter;
        this.limit = limit;
    }

    static SeriesBudget of(MeterRegistry registry, MeterDefinition definition) {
        ConcurrentHashMap<String, SeriesBudget> budgets;
        synchronized (BY_REGISTRY) {
            budgets = BY_REGISTRY.computeIfAbsent(registry, r -> new ConcurrentHashMap<>());
        }
        return budgets.computeIfAbsent(definition.name(),
                name -> new SeriesBudget(name, MeterDefinition.DEFAULT_SERIES_LIMIT));
    }

    void limit(int newLimit) {
        this.limit = newLimit;
    }

    int limit() {
        return limit;
    }

    int admittedCount() {
        return admitted.size();
    }

    /** {@code tags} when they are (or now become) one of the admitted series, else the overflow tags. */
    Tags admit(MeterRegistry registry, Tags tags) {
        if (admitted.containsKey(tags)) {
            return tags;
        }
        if (reserved.get() < limit && admitted.computeIfAbsent(tags, t -> reserveSlot() ? Boolean.TRUE : null) != null) {
            return tags;
        }
        overflowCounter(registry).increment();
        return fold(tags);
    }

    private boolean reserveSlot() {
        int taken;
        do {
            taken = reserved.get();
            if (taken >= limit) {
                return false;
            }
        } while (!reserved.compareAndSet(taken, taken + 1));
        return true;
    }

    private Counter overflowCounter(MeterRegistry registry) {
        Counter counter = overflow;
        if (counter == null) {
            // Lazily, so a meter that never overflows adds no series; a race registers the one meter twice.
            counter = MetricCatalog.VIGIL_CARDINALITY_OVERFLOW.counter(registry,
                    Tags.of("meter", meter, "tag", "series"));
            overflow = counter;
        }
        return counter;
    }

    static Tags fold(Tags tags) {
        List<Tag> folded = new ArrayList<>();
        for (Tag tag : tags) {
            folded.add(KEPT_ON_OVERFLOW.contains(tag.getKey()) ? tag : Tag.of(tag.getKey(), OVERFLOW));
        }
        return Tags.of(folded);
    }
}
