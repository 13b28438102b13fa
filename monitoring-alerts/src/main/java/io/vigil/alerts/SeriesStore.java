package io.vigil.alerts;

import io.vigil.alerts.promql.Expression;
import io.vigil.alerts.promql.LabelMatcher;
import io.vigil.alerts.promql.Labels;
import io.vigil.alerts.promql.Series;
import io.vigil.alerts.promql.SeriesSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The in-process time series store the rules read: per series that some rule selects, a ring of values just
 * long enough for the longest lookback of the rules that select it; timestamps are shared by all series of a
 * tick. Bounded: at most {@code maxSeries} series (the rest are dropped and counted), and a series not seen for
 * five minutes is removed. A series that disappears from a scrape gets Prometheus' staleness marker, so
 * instant queries stop seeing it at once, as they would in Prometheus.
 *
 * <p>Confined to the engine's evaluation thread: not thread-safe.
 */
final class SeriesStore implements SeriesSource {

    static final long NO_POINT_BITS = 0x7ff0000000000003L;
    /** A NaN distinct from real NaN samples and from the staleness marker: "no point at this tick". */
    static final double NO_POINT = Double.longBitsToDouble(NO_POINT_BITS);
    /** A series not seen for this long is removed, as Prometheus' 5-minute lookback forgets it. */
    static final long GONE_AFTER_MILLIS = Duration.ofMinutes(5).toMillis();
    private static final Object NOT_SELECTED = new Object();

    private record Selection(List<LabelMatcher> matchers, int ticks) {
        boolean matches(Labels labels) {
            for (LabelMatcher matcher : matchers) {
                if (!matcher.matches(labels)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Selection> selections = new ArrayList<>();
    private final int maxSeries;
    private final long[] tickTimes;
    private long tick = -1;
    private final Map<Labels, StoredSeries> series = new HashMap<>();
    private final Map<String, List<StoredSeries>> byName = new HashMap<>();
    private final SeriesKeyIndex scrapeIndex = new SeriesKeyIndex();
    private final Map<String, String> interned = new HashMap<>();
    private long overflowed;

    /**
     * @param expressions every expression the rules evaluate: which series to keep, and for how long
     * @param interval    the time between ticks
     */
    SeriesStore(Collection<Expression> expressions, Duration interval, int maxSeries) {
        long intervalMillis = interval.toMillis();
        int longest = 1;
        for (Expression expression : expressions) {
            long lookback = expression.lookback().toMillis();
            int ticks = (int) Math.min(100_000, (lookback + intervalMillis - 1) / intervalMillis + 1);
            for (List<LabelMatcher> matchers : expression.selectors()) {
                selections.add(new Selection(List.copyOf(matchers), ticks));
            }
            longest = Math.max(longest, ticks);
        }
        this.tickTimes = new long[longest];
        this.maxSeries = maxSeries;
    }

    /** Starts the tick at {@code timeMillis}: what is written until the next tick carries this time. */
    void beginTick(long timeMillis) {
        tick++;
        tickTimes[(int) (tick % tickTimes.length)] = timeMillis;
    }

    long now() {
        return tickTimes[(int) (tick % tickTimes.length)];
    }

    /** One sample of the registry's scrape; {@code series} is asked for its labels only when {@code key} is new. */
    void scraped(long key, RegistrySampler.ScrapedSeries series, double value) {
        Object known = scrapeIndex.get(key);
        if (known == NOT_SELECTED) {
            return;
        }
        StoredSeries stored = (StoredSeries) known;
        if (stored == null) {
            stored = admit(series.labels(), false);
            if (scrapeIndex.size() > 4 * Math.max(maxSeries, 1_000)) {
                // Churning keys: forget them all rather than grow; known series are found again by labels.
                scrapeIndex.clear();
            }
            scrapeIndex.put(key, stored == null ? NOT_SELECTED : stored);
            if (stored == null) {
                return;
            }
        }
        stored.write(tick, now(), value);
    }

    /** Ends the scrape part of a tick: stale-marks scraped series it did not see, removes those long gone. */
    void endScrape() {
        long now = now();
        boolean removed = false;
        for (Iterator<StoredSeries> it = series.values().iterator(); it.hasNext(); ) {
            StoredSeries s = it.next();
            if (s.lastTick() < tick && !s.recorded && !s.stale) {
                s.write(tick, now, Series.STALE_NAN);
            }
            if (now - s.lastSeenMillis > GONE_AFTER_MILLIS) {
                it.remove();
                List<StoredSeries> named = byName.get(s.labels.get(Labels.METRIC_NAME));
                named.remove(s);
                if (named.isEmpty()) {
                    byName.remove(s.labels.get(Labels.METRIC_NAME));
                }
                removed = true;
            }
        }
        if (removed) {
            scrapeIndex.clear();
        }
    }

    /** A sample a recording rule (or the alert state) wrote at the current tick. */
    void record(Labels labels, double value) {
        StoredSeries stored = series.get(labels);
        if (stored == null) {
            stored = admit(labels, true);
            if (stored == null) {
                return;
            }
        }
        stored.write(tick, now(), value);
    }

    /** Ends a recorded series (its rule no longer produces it), as Prometheus' rule groups do. */
    void markStale(Labels labels) {
        StoredSeries stored = series.get(labels);
        if (stored != null && !stored.stale) {
            stored.write(tick, now(), Series.STALE_NAN);
        }
    }

    /** Series the cap turned away since the last call. */
    long drainOverflow() {
        long n = overflowed;
        overflowed = 0;
        return n;
    }

    int size() {
        return series.size();
    }

    private StoredSeries admit(Labels labels, boolean recorded) {
        int ticks = 0;
        for (Selection selection : selections) {
            if (selection.ticks > ticks && selection.matches(labels)) {
                ticks = selection.ticks;
            }
        }
        if (ticks == 0) {
            return null;
        }
        StoredSeries existing = series.get(labels);
        if (existing != null) {
            return existing;
        }
        if (series.size() >= maxSeries) {
            overflowed++;
            return null;
        }
        StoredSeries stored = new StoredSeries(intern(labels), ticks, recorded);
        series.put(stored.labels, stored);
        // Kept sorted by labels, the order Prometheus' storage returns series in: float sums come out the same.
        List<StoredSeries> named = byName.computeIfAbsent(labels.get(Labels.METRIC_NAME), n -> new ArrayList<>());
        int at = java.util.Collections.binarySearch(named, stored, (a, b) -> a.labels.compareTo(b.labels));
        named.add(at < 0 ? -at - 1 : at, stored);
        return stored;
    }

    /** Label names and values repeat across thousands of series: keep one copy of each. */
    private Labels intern(Labels labels) {
        if (interned.size() > 20 * Math.max(maxSeries, 1_000)) {
            interned.clear();
        }
        String[] pairs = new String[labels.size() * 2];
        for (int i = 0; i < labels.size(); i++) {
            pairs[2 * i] = interned.computeIfAbsent(labels.name(i), s -> s);
            pairs[2 * i + 1] = interned.computeIfAbsent(labels.value(i), s -> s);
        }
        return Labels.of(pairs);
    }

    @Override
    public List<Series> select(List<LabelMatcher> matchers, long minTimeMillis, long maxTimeMillis) {
        if (tick < 0) {
            return List.of();
        }
        Collection<StoredSeries> candidates = series.values();
        LabelMatcher byNameMatcher = null;
        for (LabelMatcher matcher : matchers) {
            if (matcher.type() == LabelMatcher.Type.EQUAL && matcher.name().equals(Labels.METRIC_NAME)) {
                List<StoredSeries> named = byName.get(matcher.value());
                if (named == null) {
                    return List.of();
                }
                candidates = named;
                byNameMatcher = matcher;
                break;
            }
        }
        long fromTick = Math.max(0, tick - tickTimes.length + 1);
        List<Series> result = new ArrayList<>();
        outer:
        for (StoredSeries s : candidates) {
            for (LabelMatcher matcher : matchers) {
                if (matcher != byNameMatcher && !matcher.matches(s.labels)) {
                    continue outer; // (the name matcher chose the candidates: every one matches it)
                }
            }
            Series points = s.read(fromTick, tick, tickTimes, minTimeMillis, maxTimeMillis);
            if (points != null) {
                result.add(points);
            }
        }
        return result;
    }
}
