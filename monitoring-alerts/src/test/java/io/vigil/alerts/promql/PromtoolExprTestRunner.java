package io.vigil.alerts.promql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Runs the {@code promql_expr_test} cases of a {@link PromtoolTestFile} through Vigil's evaluator with
 * promtool's rules of comparison: a scalar result is one sample with no labels, a string or range vector is an
 * error, expected and actual samples are sorted by labels and must be equal — labels exactly, values with
 * {@code ==} (as Go's reflect.DeepEqual: no tolerance, and a NaN never matches).
 */
final class PromtoolExprTestRunner {

    private PromtoolExprTestRunner() {
    }

    /** Empty when the case passes, else a message in promtool's manner (expected vs got). */
    static Optional<String> run(PromtoolTestFile.TestGroup group, PromtoolTestFile.ExprTest test) {
        return run(new ListSeriesSource(group.series()), test);
    }

    static Optional<String> run(SeriesSource source, PromtoolTestFile.ExprTest test) {
        List<PromtoolTestFile.ExpectedSample> got;
        try {
            got = samples(Expression.parse(test.expr()).evaluate(test.evalTimeMillis(), source));
        } catch (PromQLException e) {
            return Optional.of(describe(test) + " err: " + e.getMessage());
        }
        List<PromtoolTestFile.ExpectedSample> expected = sorted(test.expSamples());
        got = sorted(got);
        if (!equal(expected, got)) {
            return Optional.of(describe(test) + "\n    exp: " + format(expected) + "\n    got: " + format(got));
        }
        return Optional.empty();
    }

    /** promtool's view of a result: a vector's samples, or a scalar as one sample without labels. */
    static List<PromtoolTestFile.ExpectedSample> samples(Value value) {
        List<PromtoolTestFile.ExpectedSample> out = new ArrayList<>();
        if (value instanceof Value.Scalar s) {
            out.add(new PromtoolTestFile.ExpectedSample(Labels.EMPTY, s.value()));
        } else if (value instanceof Value.InstantVector v) {
            for (Value.Sample s : v.samples()) {
                out.add(new PromtoolTestFile.ExpectedSample(s.labels(), s.value()));
            }
        } else {
            throw new PromQLException("rule result is not a vector or scalar", 0);
        }
        return out;
    }

    private static List<PromtoolTestFile.ExpectedSample> sorted(List<PromtoolTestFile.ExpectedSample> samples) {
        List<PromtoolTestFile.ExpectedSample> out = new ArrayList<>(samples);
        out.sort(Comparator.comparing(PromtoolTestFile.ExpectedSample::labels));
        return out;
    }

    private static boolean equal(List<PromtoolTestFile.ExpectedSample> a, List<PromtoolTestFile.ExpectedSample> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).labels().equals(b.get(i).labels()) || !(a.get(i).value() == b.get(i).value())) {
                return false;
            }
        }
        return true;
    }

    private static String describe(PromtoolTestFile.ExprTest test) {
        return "expr: \"" + test.expr() + "\", time: " + Durations.format(test.evalTimeMillis()) + ",";
    }

    private static String format(List<PromtoolTestFile.ExpectedSample> samples) {
        if (samples.isEmpty()) {
            return "nil";
        }
        StringBuilder sb = new StringBuilder();
        for (PromtoolTestFile.ExpectedSample s : samples) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(s.labels()).append(' ').append(s.value());
        }
        return sb.toString();
    }
}
