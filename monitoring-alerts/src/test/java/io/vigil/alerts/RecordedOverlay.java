package io.vigil.alerts;

import io.vigil.alerts.promql.LabelMatcher;
import io.vigil.alerts.promql.Labels;
import io.vigil.alerts.promql.Series;
import io.vigil.alerts.promql.SeriesSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test's storage as promtool has it: the input series plus everything the rules wrote (recorded series,
 * {@code ALERTS}, staleness markers), in full, so expression tests after the run see the rules' output too.
 */
final class RecordedOverlay implements SeriesSource, RuleOutput {

    private final SeriesSource input;
    private final Map<Labels, List<double[]>> written = new LinkedHashMap<>();
    private long now;

    RecordedOverlay(SeriesSource input) {
        this.input = input;
    }

    void at(long timeMillis) {
        now = timeMillis;
    }

    @Override
    public void record(Labels labels, double value) {
        List<double[]> points = written.computeIfAbsent(labels, l -> new ArrayList<>());
        if (!points.isEmpty() && points.get(points.size() - 1)[0] == now) {
            points.get(points.size() - 1)[1] = value;
        } else {
            points.add(new double[] {now, value});
        }
    }

    @Override
    public void stale(Labels labels) {
        record(labels, Series.STALE_NAN);
    }

    @Override
    public List<Series> select(List<LabelMatcher> matchers, long minTimeMillis, long maxTimeMillis) {
        List<Series> result = new ArrayList<>(input.select(matchers, minTimeMillis, maxTimeMillis));
        outer:
        for (Map.Entry<Labels, List<double[]>> e : written.entrySet()) {
            for (LabelMatcher m : matchers) {
                if (!m.matches(e.getKey())) {
                    continue outer;
                }
            }
            List<double[]> in = new ArrayList<>();
            for (double[] p : e.getValue()) {
                if (p[0] >= minTimeMillis && p[0] <= maxTimeMillis) {
                    in.add(p);
                }
            }
            if (!in.isEmpty()) {
                long[] t = new long[in.size()];
                double[] v = new double[in.size()];
                for (int i = 0; i < t.length; i++) {
                    t[i] = (long) in.get(i)[0];
                    v[i] = in.get(i)[1];
                }
                result.add(new Series(e.getKey(), t, v));
            }
        }
        return result;
    }
}
