package io.vigil.alerts.promql;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

/**
 * The evaluator's semantics case by case, with values worked out by hand from Prometheus' algorithms (the
 * promtool corpus checks the same against Prometheus itself; these pin down what promtool cannot compare, such
 * as NaN results and error messages).
 */
class EvaluatorTest {

    private static final long MINUTE = 60_000;

    // ---- rate, increase, delta ---------------------------------------------------------------------------

    @Test
    void counterResetAddsTheValueBeforeTheReset() {
        SeriesSource s = source("c", "0 10 20 5 15");
        // points 0..4m, all in the inclusive range: 15 - 0 + 20 (the reset) = 35, no extrapolation needed
        assertThat(eval("increase(c[4m])", s, 4 * MINUTE)).containsExactly(entry("{}", 35.0));
        assertThat(eval("rate(c[4m])", s, 4 * MINUTE)).containsExactly(entry("{}", 35.0 / 240));
        assertThat(eval("resets(c[4m])", s, 4 * MINUTE)).containsExactly(entry("{}", 1.0));
        // delta treats the series as a gauge: no reset handling
        assertThat(eval("delta(c[4m])", s, 4 * MINUTE)).containsExactly(entry("{}", 15.0));
    }

    @Test
    void extrapolatesToTheRangeBoundariesWhenCloseEnough() {
        SeriesSource s = source("c", "_ 10 20 30 40 50");
        // range [30s, 330s]: 30 s missing at each end, within 1.1 × the 60 s spacing: 40 × 300/240 = 50
        assertThat(eval("increase(c[5m])", s, 5 * MINUTE + 30_000)).containsExactly(entry("{}", 50.0));
    }

    @Test
    void extrapolatesByHalfAnIntervalWhenTheSeriesStartsInsideTheRange() {
        SeriesSource s = source("c", "100 110 120");
        // start 180 s before the first point: too far, extrapolate 30 s; end on a point: 20 × 150/120 = 25
        assertThat(eval("increase(c[5m])", s, 2 * MINUTE)).containsExactly(entry("{}", 25.0));
    }

    @Test
    void counterExtrapolationStopsAtZero() {
        SeriesSource s = source("c", "1 11 21");
        // zero would be reached 6 s before the first point: 20 × 126/120 = 21
        assertThat(eval("increase(c[5m])", s, 2 * MINUTE).get("{}")).isCloseTo(21.0, within(1e-12));
        // a gauge (delta) extrapolates as far as the counter would not: 20 × 150/120
        assertThat(eval("delta(c[5m])", s, 2 * MINUTE)).containsExactly(entry("{}", 25.0));
    }

    @Test
    void rateNeedsTwoPoints() {
        SeriesSource s = source("c", "5 _ _ _ _ _ 7");
        assertThat(eval("rate(c[5m])", s, 5 * MINUTE)).isEmpty();
        assertThat(eval("irate(c[5m])", s, 6 * MINUTE)).isEmpty();
        assertThat(eval("rate(c[6m])", s, 6 * MINUTE)).containsExactly(entry("{}", 2.0 / 360));
    }

    @Test
    void irateUsesTheLastTwoPointsAndTheValueAfterAReset() {
        assertThat(eval("irate(c[5m])", source("c", "0 10 40"), 2 * MINUTE)).containsExactly(entry("{}", 0.5));
        assertThat(eval("irate(c[5m])", source("c", "0 10 4"), 2 * MINUTE)).containsExactly(entry("{}", 4.0 / 60));
    }

    @Test
    void rangeFunctionsDropTheMetricNameButLastOverTimeKeepsIt() {
        SeriesSource s = source("c{job=\"a\"}", "1 2 3");
        assertThat(eval("rate(c[5m])", s, 2 * MINUTE)).containsOnlyKeys("{job=\"a\"}");
        assertThat(eval("last_over_time(c[5m])", s, 2 * MINUTE)).containsOnlyKeys("{__name__=\"c\", job=\"a\"}");
    }

    // ---- deriv, predict_linear ---------------------------------------------------------------------------

    @Test
    void derivAndPredictLinearByLeastSquares() {
        SeriesSource s = source("disk", "1000-10x10");
        assertThat(eval("deriv(disk[10m])", s, 10 * MINUTE).get("{}")).isCloseTo(-10.0 / 60, within(1e-12));
        // relative to the evaluation time: 900 now, minus 10 per minute
        assertThat(eval("predict_linear(disk[10m], 600)", s, 10 * MINUTE).get("{}")).isCloseTo(800.0,
                within(1e-9));
        assertThat(eval("predict_linear(g[10m], 0)", source("g", "7 7 7"), 2 * MINUTE))
                .containsExactly(entry("{}", 7.0));
    }

    // ---- staleness and lookback --------------------------------------------------------------------------

    @Test
    void aStalenessMarkerEndsTheSeriesUntilTheNextPoint() {
        SeriesSource s = source("up", "1 1 stale _ 1");
        assertThat(eval("up", s, MINUTE)).containsOnlyKeys("{__name__=\"up\"}");
        assertThat(eval("up", s, 2 * MINUTE)).isEmpty();
        assertThat(eval("up", s, 3 * MINUTE)).isEmpty();
        assertThat(eval("up", s, 4 * MINUTE)).containsOnlyKeys("{__name__=\"up\"}");
        // range selections skip the marker
        assertThat(eval("count_over_time(up[5m])", s, 4 * MINUTE)).containsExactly(entry("{}", 3.0));
    }

    @Test
    void instantSelectionLooksBackFiveMinutesInclusive() {
        SeriesSource s = source("g", "3");
        assertThat(eval("g", s, 5 * MINUTE)).containsExactly(entry("{__name__=\"g\"}", 3.0));
        assertThat(eval("g", s, 5 * MINUTE + 1)).isEmpty();
        assertThat(eval("g offset 1m", s, 6 * MINUTE)).containsExactly(entry("{__name__=\"g\"}", 3.0));
    }

    @Test
    void rangeSelectionIncludesBothEndsAsInPrometheus2() {
        SeriesSource s = source("g", "1 2 3");
        assertThat(eval("count_over_time(g[1m])", s, 2 * MINUTE)).containsExactly(entry("{}", 2.0));
        assertThat(eval("count_over_time(g[59s])", s, 2 * MINUTE)).containsExactly(entry("{}", 1.0));
    }

    // ---- aggregation -------------------------------------------------------------------------------------

    @Test
    void topkKeepsFullLabelsAndResolvesTiesLikePrometheusHeap() {
        SeriesSource s = source("x{i=\"a\"}", "1", "x{i=\"b\"}", "1", "x{i=\"c\"}", "1", "x{i=\"d\"}", "0");
        assertThat(eval("topk(2, x)", s, 0)).containsOnlyKeys("{__name__=\"x\", i=\"a\"}", "{__name__=\"x\", i=\"b\"}");
        assertThat(eval("bottomk(1, x)", s, 0)).containsOnlyKeys("{__name__=\"x\", i=\"d\"}");
        assertThat(eval("topk(0, x)", s, 0)).isEmpty();
        assertThatThrownBy(() -> eval("topk(1e30, x)", s, 0)).isInstanceOf(PromQLException.class)
                .hasMessageContaining("overflows int64");
    }

    @Test
    void aggregationsWithNaN() {
        SeriesSource s = source("x{i=\"a\"}", "NaN", "x{i=\"b\"}", "2");
        assertThat(eval("max(x)", s, 0)).containsExactly(entry("{}", 2.0));
        assertThat(eval("min(x)", s, 0)).containsExactly(entry("{}", 2.0));
        assertThat(eval("sum(x)", s, 0).get("{}")).isNaN();
        assertThat(eval("count(x)", s, 0)).containsExactly(entry("{}", 2.0));
        assertThat(eval("count_values(\"v\", x)", s, 0))
                .containsOnly(entry("{v=\"NaN\"}", 1.0), entry("{v=\"2\"}", 1.0));
        assertThat(eval("group without (i) (x)", s, 0)).containsExactly(entry("{}", 1.0));
        // NaN sorts first, and interpolating with it gives NaN
        assertThat(eval("quantile(0.5, x)", s, 0).get("{}")).isNaN();
        assertThat(eval("quantile(1, x)", s, 0)).containsExactly(entry("{}", 2.0));
    }

    // ---- binary operators --------------------------------------------------------------------------------

    @Test
    void manyToManyMatchingIsAnErrorAsInPrometheus() {
        SeriesSource s = source("a{x=\"1\", y=\"1\"}", "1", "b{x=\"1\", y=\"1\"}", "1", "b{x=\"1\", y=\"2\"}", "2");
        assertThatThrownBy(() -> eval("a + on(x) b", s, 0)).isInstanceOf(PromQLException.class)
                .hasMessageContaining("found duplicate series for the match group {x=\"1\"} on the right hand-side "
                        + "of the operation: [{__name__=\"b\", x=\"1\", y=\"2\"}, {__name__=\"b\", x=\"1\", y=\"1\"}]"
                        + ";many-to-many matching not allowed: matching labels must be unique on one side");
        assertThatThrownBy(() -> eval("b + on(x) a", s, 0)).isInstanceOf(PromQLException.class)
                .hasMessageContaining("multiple matches for labels: many-to-one matching must be explicit "
                        + "(group_left/group_right)");
        assertThatThrownBy(() -> eval("b + on(x) group_right a", s, 0)).isInstanceOf(PromQLException.class)
                .hasMessageContaining("on the left hand-side");
        assertThat(eval("a + on(x) group_right b", s, 0))
                .containsOnly(entry("{x=\"1\", y=\"1\"}", 2.0), entry("{x=\"1\", y=\"2\"}", 3.0));
        assertThat(eval("b + on(x) group_left a", s, 0))
                .containsOnly(entry("{x=\"1\", y=\"1\"}", 2.0), entry("{x=\"1\", y=\"2\"}", 3.0));
    }

    @Test
    void groupLeftCopiesIncludedLabelsFromTheOneSide() {
        SeriesSource s = source("requests{instance=\"a\", uri=\"/x\"}", "10", "requests{instance=\"a\", uri=\"/y\"}",
                "20", "info{instance=\"a\", version=\"1.2\", uri=\"ignored\"}", "1");
        assertThat(eval("requests * on(instance) group_left(version) info", s, 0)).containsOnly(
                entry("{instance=\"a\", uri=\"/x\", version=\"1.2\"}", 10.0),
                entry("{instance=\"a\", uri=\"/y\", version=\"1.2\"}", 20.0));
        // a comparison keeps the metric name; one-to-one "on" keeps only the "on" labels
        assertThat(eval("requests > on(instance, uri) group_left requests * 0", s, 0))
                .containsOnlyKeys("{__name__=\"requests\", instance=\"a\", uri=\"/x\"}",
                        "{__name__=\"requests\", instance=\"a\", uri=\"/y\"}");
        assertThat(eval("info > on(instance) info * 0", s, 0)).containsOnlyKeys("{instance=\"a\"}");
    }

    @Test
    void sameLabelSetsAfterDroppingTheNameAreAnError() {
        SeriesSource s = source("a{x=\"1\"}", "1", "b{x=\"1\"}", "2");
        assertThatThrownBy(() -> eval("{x=\"1\"} * 2", s, 0)).isInstanceOf(PromQLException.class)
                .hasMessageContaining("vector cannot contain metrics with the same labelset");
        assertThat(eval("{x=\"1\"} > 1", s, 0)).containsOnlyKeys("{__name__=\"b\", x=\"1\"}");
        assertThatThrownBy(() -> eval("-{x=\"1\"}", s, 0)).isInstanceOf(PromQLException.class);
    }

    @Test
    void scalarOperandsAndBool() {
        SeriesSource s = source("v{i=\"a\"}", "5", "v{i=\"b\"}", "1");
        assertThat(eval("2 < v", s, 0)).containsExactly(entry("{__name__=\"v\", i=\"a\"}", 5.0));
        assertThat(eval("v > bool 2", s, 0)).containsOnly(entry("{i=\"a\"}", 1.0), entry("{i=\"b\"}", 0.0));
        assertThat(eval("2 ^ v", s, 0)).containsOnly(entry("{i=\"a\"}", 32.0), entry("{i=\"b\"}", 2.0));
        assertThat(scalar("1 ^ NaN")).isEqualTo(1.0); // Go's math.Pow, not Java's
        assertThat(scalar("(-1) ^ Inf")).isEqualTo(1.0);
        assertThat(scalar("-7 % 3")).isEqualTo(-1.0);
        assertThat(scalar("5 / 0")).isInfinite();
        assertThat(scalar("NaN == bool NaN")).isZero();
    }

    @Test
    void setOperatorsMatchOnAllLabelsButTheName() {
        SeriesSource s = source("a{x=\"1\"}", "1", "a{x=\"2\"}", "2", "b{x=\"2\"}", "20", "b{x=\"3\"}", "30");
        assertThat(eval("a and b", s, 0)).containsOnlyKeys("{__name__=\"a\", x=\"2\"}");
        assertThat(eval("a unless b", s, 0)).containsOnlyKeys("{__name__=\"a\", x=\"1\"}");
        assertThat(eval("a or b", s, 0)).containsOnlyKeys("{__name__=\"a\", x=\"1\"}", "{__name__=\"a\", x=\"2\"}",
                "{__name__=\"b\", x=\"3\"}");
        assertThat(eval("a and on() b", s, 0)).hasSize(2);
        assertThat(eval("a and nothing", s, 0)).isEmpty();
    }

    // ---- histogram_quantile ------------------------------------------------------------------------------

    @Test
    void histogramQuantileEdgeCases() {
        SeriesSource noInf = source("h_bucket{le=\"1\"}", "5", "h_bucket{le=\"2\"}", "10");
        assertThat(eval("histogram_quantile(0.5, h_bucket)", noInf, 0).get("{}")).isNaN();
        SeriesSource empty = source("h_bucket{le=\"1\"}", "0", "h_bucket{le=\"+Inf\"}", "0");
        assertThat(eval("histogram_quantile(0.5, h_bucket)", empty, 0).get("{}")).isNaN();
        SeriesSource onlyInf = source("h_bucket{le=\"+Inf\"}", "4");
        assertThat(eval("histogram_quantile(0.5, h_bucket)", onlyInf, 0).get("{}")).isNaN();
        SeriesSource ok = source("h_bucket{le=\"1\"}", "5", "h_bucket{le=\"2\"}", "10", "h_bucket{le=\"+Inf\"}",
                "10", "h_bucket{le=\"junk\"}", "99", "h_bucket", "7");
        assertThat(eval("histogram_quantile(0.5, h_bucket)", ok, 0)).containsExactly(entry("{}", 1.0));
        assertThat(eval("histogram_quantile(0.75, h_bucket)", ok, 0)).containsExactly(entry("{}", 1.5));
        assertThat(eval("histogram_quantile(NaN, h_bucket)", ok, 0).get("{}")).isNaN();
        SeriesSource negative = source("h_bucket{le=\"-1\"}", "5", "h_bucket{le=\"+Inf\"}", "10");
        assertThat(eval("histogram_quantile(0.1, h_bucket)", negative, 0)).containsExactly(entry("{}", -1.0));
    }

    // ---- absent ------------------------------------------------------------------------------------------

    @Test
    void absentDerivesLabelsFromEqualityMatchers() {
        SeriesSource none = source("other", "1");
        assertThat(eval("absent(up{job=\"api\", env=~\"prod\", zone!=\"a\"})", none, 0))
                .containsExactly(entry("{job=\"api\"}", 1.0));
        assertThat(eval("absent((up{job=\"api\"}))", none, 0)).containsExactly(entry("{job=\"api\"}", 1.0));
        assertThat(eval("absent(up{job=\"a\", job=\"b\"})", none, 0)).containsExactly(entry("{}", 1.0));
        assertThat(eval("absent(up + 1)", none, 0)).containsExactly(entry("{}", 1.0));
        assertThat(eval("absent(other)", none, 0)).isEmpty();
        assertThat(eval("absent_over_time(up{job=\"api\"}[1m])", none, 0)).containsExactly(entry("{job=\"api\"}", 1.0));
    }

    // ---- other functions ---------------------------------------------------------------------------------

    @Test
    void scalarVectorTimeAndTimestamp() {
        SeriesSource s = source("g", "_ 4");
        assertThat(scalar("time()", s, 90_000)).isEqualTo(90.0);
        assertThat(scalar("scalar(g)", s, 90_000)).isEqualTo(4.0);
        assertThat(scalar("scalar(nothing)", s, 90_000)).isNaN();
        assertThat(eval("vector(scalar(g) * 2)", s, 90_000)).containsExactly(entry("{}", 8.0));
        assertThat(eval("timestamp(g)", s, 90_000)).containsExactly(entry("{}", 60.0));
        assertThat(eval("timestamp(g * 1)", s, 90_000)).containsExactly(entry("{}", 90.0));
    }

    @Test
    void labelReplaceExpandsLikeGo() {
        SeriesSource s = source("m{src=\"abc-def\"}", "1");
        assertThat(eval("label_replace(m, \"dst\", \"$2/$1\", \"src\", \"(.*)-(.*)\")", s, 0))
                .containsOnlyKeys("{__name__=\"m\", dst=\"def/abc\", src=\"abc-def\"}");
        assertThat(eval("label_replace(m, \"dst\", \"$1x\", \"src\", \"(.*)-(.*)\")", s, 0))
                .containsOnlyKeys("{__name__=\"m\", src=\"abc-def\"}"); // "$1x" is the (missing) group named 1x
        assertThat(eval("label_replace(m, \"dst\", \"${1}x$$\", \"src\", \"(?P<first>.*)-.*\")", s, 0))
                .containsOnlyKeys("{__name__=\"m\", dst=\"abcx$\", src=\"abc-def\"}");
        assertThat(eval("label_replace(m, \"dst\", \"$first\", \"src\", \"(?P<first>.*)-.*\")", s, 0))
                .containsOnlyKeys("{__name__=\"m\", dst=\"abc\", src=\"abc-def\"}");
        assertThat(eval("label_replace(m, \"src\", \"\", \"src\", \"abc.*\")", s, 0))
                .containsOnlyKeys("{__name__=\"m\"}");
        assertThat(eval("label_replace(m, \"dst\", \"x\", \"src\", \"b\")", s, 0))
                .containsOnlyKeys("{__name__=\"m\", src=\"abc-def\"}"); // anchored: no match
        assertThat(eval("label_join(m, \"j\", \",\", \"src\", \"src\")", s, 0))
                .containsOnlyKeys("{__name__=\"m\", j=\"abc-def,abc-def\", src=\"abc-def\"}");
    }

    @Test
    void regexMatchersAreAnchoredRe2() {
        SeriesSource s = source("m{path=\"/api/users\"}", "1", "m{path=\"/api\"}", "2");
        assertThat(eval("m{path=~\"/api\"}", s, 0)).containsOnlyKeys("{__name__=\"m\", path=\"/api\"}");
        assertThat(eval("m{path=~\"/api.*\"}", s, 0)).hasSize(2);
        assertThat(eval("m{path!~\"/api\"}", s, 0)).containsOnlyKeys("{__name__=\"m\", path=\"/api/users\"}");
        assertThat(eval("m{missing=\"\"}", s, 0)).hasSize(2); // an absent label matches ""
    }

    @Test
    void resultsAreTypedValues() {
        SeriesSource s = source("g{a=\"1\"}", "1 2 stale 4");
        assertThat(Expression.parse("g[5m]").evaluate(3 * MINUTE, s)).isInstanceOfSatisfying(Value.Matrix.class,
                m -> {
                    assertThat(m.series()).hasSize(1);
                    assertThat(m.series().get(0).timestamps()).containsExactly(0, MINUTE, 3 * MINUTE);
                    assertThat(m.series().get(0).values()).containsExactly(1, 2, 4);
                });
        assertThat(Expression.parse("\"text\"").evaluate(0, s)).isEqualTo(new Value.Text("text"));
        assertThat(Expression.parse("1 + 1").evaluate(0, s)).isEqualTo(new Value.Scalar(2));
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    /** Series from (metric, values) pairs in promtool's notation, one point per minute from 0. */
    static SeriesSource source(String... metricAndValues) {
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < metricAndValues.length; i += 2) {
            series.add(InputSeriesNotation.toSeries(MetricNotation.parse(metricAndValues[i]), metricAndValues[i + 1],
                    MINUTE));
        }
        return new ListSeriesSource(series);
    }

    static Map<String, Double> eval(String promql, SeriesSource source, long time) {
        Value v = Expression.parse(promql).evaluate(time, source);
        Map<String, Double> out = new LinkedHashMap<>();
        for (Value.Sample s : ((Value.InstantVector) v).samples()) {
            out.put(s.labels().toString(), s.value());
        }
        return out;
    }

    private static double scalar(String promql) {
        return scalar(promql, source(), 0);
    }

    private static double scalar(String promql, SeriesSource source, long time) {
        return ((Value.Scalar) Expression.parse(promql).evaluate(time, source)).value();
    }
}
