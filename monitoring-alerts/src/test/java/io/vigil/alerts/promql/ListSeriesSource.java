package io.vigil.alerts.promql;

import java.util.ArrayList;
import java.util.List;

/** A {@link SeriesSource} over a fixed list of series (a test's input series). */
final class ListSeriesSource implements SeriesSource {

    private final List<Series> series;

    ListSeriesSource(List<Series> series) {
        this.series = List.copyOf(series);
    }

    @Override
    public List<Series> select(List<LabelMatcher> matchers, long minTimeMillis, long maxTimeMillis) {
        List<Series> out = new ArrayList<>();
        outer:
        for (Series s : series) {
            for (LabelMatcher m : matchers) {
                if (!m.matches(s.labels())) {
                    continue outer;
                }
            }
            int from = 0;
            long[] t = s.timestamps();
            while (from < t.length && t[from] < minTimeMillis) {
                from++;
            }
            int to = from;
            while (to < t.length && t[to] <= maxTimeMillis) {
                to++;
            }
            if (to > from) {
                out.add(new Series(s.labels(), java.util.Arrays.copyOfRange(t, from, to),
                        java.util.Arrays.copyOfRange(s.values(), from, to)));
            }
        }
        return out;
    }
}
