package io.vigil.alerts.promql;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates a syntax tree at one instant, with Prometheus 2.42's instant-query semantics: an instant selector
 * takes each series' latest point at or before the evaluation time (minus offset) if it is at most 5 minutes
 * old and not a staleness marker; a range selector takes the points in {@code [t - range, t]} (both ends
 * included, as in Prometheus 2.x), staleness markers dropped. One evaluator per evaluation; not thread-safe.
 */
final class Evaluator {

    static final long LOOKBACK_MILLIS = 5 * 60_000L;

    private final SeriesSource source;
    private final long time;
    private long[] scratchT = new long[64];
    private double[] scratchV = new double[64];

    Evaluator(SeriesSource source, long time) {
        this.source = source;
        this.time = time;
    }

    Value evaluate(Ast.Node root) {
        return switch (root.type()) {
            case SCALAR -> new Value.Scalar(scalar(root));
            case STRING -> new Value.Text(((Ast.StringLiteral) Ast.unwrap(root)).value());
            case MATRIX -> matrix((Ast.MatrixSelector) Ast.unwrap(root));
            case VECTOR -> {
                SampleVector v = vector(root);
                List<Value.Sample> samples = new ArrayList<>(v.size);
                for (int i = 0; i < v.size; i++) {
                    samples.add(new Value.Sample(v.labels[i], v.values[i]));
                }
                yield new Value.InstantVector(List.copyOf(samples));
            }
        };
    }

    // ---- scalars -----------------------------------------------------------------------------------------

    double scalar(Ast.Node node) {
        if (node instanceof Ast.NumberLiteral n) {
            return n.value();
        }
        if (node instanceof Ast.Paren p) {
            return scalar(p.expr());
        }
        if (node instanceof Ast.Unary u) {
            double v = scalar(u.expr());
            return u.op() == TokenType.SUB ? -v : v;
        }
        if (node instanceof Ast.Binary b) {
            return BinaryOperations.scalar(b.op(), scalar(b.lhs()), scalar(b.rhs()));
        }
        if (node instanceof Ast.Call c) {
            switch (c.function()) {
                case TIME:
                    return time / 1000.0;
                case PI:
                    return Math.PI;
                case SCALAR_FN: {
                    SampleVector v = vector(c.args().get(0));
                    return v.size == 1 ? v.values[0] : Double.NaN;
                }
                default:
                    break;
            }
        }
        throw new IllegalStateException("not a scalar expression: " + node);
    }

    // ---- instant vectors ---------------------------------------------------------------------------------

    SampleVector vector(Ast.Node node) {
        if (node instanceof Ast.VectorSelector vs) {
            return instantSelect(vs);
        }
        if (node instanceof Ast.Paren p) {
            return vector(p.expr());
        }
        if (node instanceof Ast.Unary u) {
            SampleVector v = vector(u.expr());
            if (u.op() != TokenType.SUB) {
                return v;
            }
            SampleVector out = new SampleVector(v.size);
            for (int i = 0; i < v.size; i++) {
                out.add(v.labels[i].withoutMetricName(), -v.values[i], v.timestamps[i]);
            }
            return checkNoDuplicates(out, u.position());
        }
        if (node instanceof Ast.Binary b) {
            return checkNoDuplicates(binary(b), b.position());
        }
        if (node instanceof Ast.Call c) {
            SampleVector out = call(c);
            return oneMetricName(c) ? out : checkNoDuplicates(out, c.position());
        }
        if (node instanceof Ast.Aggregate a) {
            return aggregate(a);
        }
        throw new IllegalStateException("not an instant vector expression: " + node);
    }

    private SampleVector binary(Ast.Binary b) {
        ValueType lt = b.lhs().type();
        ValueType rt = b.rhs().type();
        if (lt == ValueType.VECTOR && rt == ValueType.SCALAR) {
            SampleVector l = vector(b.lhs());
            return BinaryOperations.vectorScalar(b.op(), l, scalar(b.rhs()), false, b.returnBool());
        }
        if (lt == ValueType.SCALAR) {
            double l = scalar(b.lhs());
            return BinaryOperations.vectorScalar(b.op(), vector(b.rhs()), l, true, b.returnBool());
        }
        SampleVector l = vector(b.lhs());
        SampleVector r = vector(b.rhs());
        return switch (b.op()) {
            case AND -> BinaryOperations.and(l, r, b.matching());
            case OR -> BinaryOperations.or(l, r, b.matching());
            case UNLESS -> BinaryOperations.unless(l, r, b.matching());
            default -> BinaryOperations.vectorVector(b.op(), l, r, b.matching(), b.returnBool(), b.position());
        };
    }

    private SampleVector aggregate(Ast.Aggregate a) {
        double param = 0;
        String valueLabel = null;
        if (a.param() != null) {
            if (a.op() == TokenType.COUNT_VALUES) {
                valueLabel = ((Ast.StringLiteral) Ast.unwrap(a.param())).value();
            } else {
                param = scalar(a.param());
            }
        }
        return Aggregation.aggregate(a.op(), a.grouping(), a.without(), param, valueLabel, vector(a.expr()),
                a.position());
    }

    // ---- selectors ---------------------------------------------------------------------------------------

    /**
     * The source's series in the source's order, unsorted, as Prometheus 2.42's engine takes them from its
     * storage (in the order series were created): sorting would cost more than the evaluation itself.
     */
    private List<Series> select(List<LabelMatcher> matchers, long min, long max) {
        return source.select(matchers, min, max);
    }

    private SampleVector instantSelect(Ast.VectorSelector vs) {
        long ref = time - vs.offsetMillis();
        List<Series> series = select(vs.matchers(), ref - LOOKBACK_MILLIS, ref);
        SampleVector out = new SampleVector(series.size());
        for (Series s : series) {
            long[] ts = s.timestamps();
            int i = lastAtOrBefore(ts, ref);
            if (i < 0 || ts[i] < ref - LOOKBACK_MILLIS) {
                continue;
            }
            double v = s.values()[i];
            if (Series.isStaleMarker(v)) {
                continue;
            }
            out.add(s.labels(), v, ts[i]);
        }
        return out;
    }

    private static int lastAtOrBefore(long[] ts, long ref) {
        int lo = 0;
        int hi = ts.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] <= ref) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private static int firstAtOrAfter(long[] ts, long ref) {
        int lo = 0;
        int hi = ts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] < ref) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Copies the points of {@code s} in {@code [mint, maxt]} without staleness markers into the scratch arrays. */
    private int collect(Series s, long mint, long maxt) {
        long[] ts = s.timestamps();
        double[] vs = s.values();
        int from = firstAtOrAfter(ts, mint);
        int n = 0;
        for (int i = from; i < ts.length && ts[i] <= maxt; i++) {
            if (Series.isStaleMarker(vs[i])) {
                continue;
            }
            if (n == scratchT.length) {
                scratchT = Arrays.copyOf(scratchT, n * 2);
                scratchV = Arrays.copyOf(scratchV, n * 2);
            }
            scratchT[n] = ts[i];
            scratchV[n] = vs[i];
            n++;
        }
        return n;
    }

    private Value.Matrix matrix(Ast.MatrixSelector ms) {
        long maxt = time - ms.selector().offsetMillis();
        long mint = maxt - ms.rangeMillis();
        List<Series> out = new ArrayList<>();
        for (Series s : select(ms.selector().matchers(), mint, maxt)) {
            int n = collect(s, mint, maxt);
            if (n > 0) {
                out.add(new Series(s.labels(), Arrays.copyOf(scratchT, n), Arrays.copyOf(scratchV, n)));
            }
        }
        return new Value.Matrix(List.copyOf(out));
    }

    // ---- functions ---------------------------------------------------------------------------------------

    private SampleVector call(Ast.Call c) {
        PromFunction f = c.function();
        List<Ast.Node> args = c.args();
        int matrixArg = f.matrixArgument();
        if (matrixArg >= 0) {
            return rangeFunction(c, matrixArg);
        }
        switch (f) {
            case ABS:
                return map(vector(args.get(0)), Math::abs);
            case CEIL:
                return map(vector(args.get(0)), Math::ceil);
            case FLOOR:
                return map(vector(args.get(0)), Math::floor);
            case EXP:
                return map(vector(args.get(0)), Math::exp);
            case SQRT:
                return map(vector(args.get(0)), Math::sqrt);
            case LN:
                return map(vector(args.get(0)), Math::log);
            case LOG2:
                return map(vector(args.get(0)), Evaluator::log2);
            case LOG10:
                return map(vector(args.get(0)), Math::log10);
            case SGN:
                return map(vector(args.get(0)), v -> v < 0 ? -1 : v > 0 ? 1 : v);
            case ROUND: {
                SampleVector v = vector(args.get(0));
                double toNearest = args.size() > 1 ? scalar(args.get(1)) : 1;
                double inverse = 1.0 / toNearest; // as Prometheus: fewer floating point surprises
                return map(v, x -> Math.floor(x * inverse + 0.5) / inverse);
            }
            case CLAMP: {
                SampleVector v = vector(args.get(0));
                double min = scalar(args.get(1));
                double max = scalar(args.get(2));
                if (max < min) {
                    return new SampleVector(0);
                }
                return map(v, x -> Math.max(min, Math.min(max, x)));
            }
            case CLAMP_MIN: {
                SampleVector v = vector(args.get(0));
                double min = scalar(args.get(1));
                return map(v, x -> Math.max(min, x));
            }
            case CLAMP_MAX: {
                SampleVector v = vector(args.get(0));
                double max = scalar(args.get(1));
                return map(v, x -> Math.min(max, x));
            }
            case ABSENT: {
                SampleVector v = vector(args.get(0));
                SampleVector out = new SampleVector(1);
                if (v.isEmpty()) {
                    out.add(absentLabels(args.get(0)), 1, time);
                }
                return out;
            }
            case TIMESTAMP: {
                Ast.Node arg = Ast.unwrap(args.get(0));
                SampleVector v = vector(arg);
                boolean own = arg instanceof Ast.VectorSelector; // otherwise every sample is "now"
                SampleVector out = new SampleVector(v.size);
                for (int i = 0; i < v.size; i++) {
                    out.add(v.labels[i].withoutMetricName(), (double) (own ? v.timestamps[i] : time) / 1000, time);
                }
                return out;
            }
            case SORT:
            case SORT_DESC:
                return sorted(vector(args.get(0)), f == PromFunction.SORT_DESC);
            case LABEL_REPLACE:
                return labelReplace(c);
            case LABEL_JOIN:
                return labelJoin(c);
            case HISTOGRAM_QUANTILE:
                return histogramQuantile(scalar(args.get(0)), vector(args.get(1)));
            case VECTOR_FN: {
                SampleVector out = new SampleVector(1);
                out.add(Labels.EMPTY, scalar(args.get(0)), time);
                return out;
            }
            case MINUTE, HOUR, DAY_OF_WEEK, DAY_OF_MONTH, DAY_OF_YEAR, DAYS_IN_MONTH, MONTH, YEAR:
                return date(c);
            default:
                throw new IllegalStateException("not a vector function: " + f);
        }
    }

    private static double log2(double v) {
        // Go's math.Log2 is exact for powers of two
        if (v > 0 && !Double.isInfinite(v)) {
            int exp = Math.getExponent(v);
            if (v == Math.scalb(1.0, exp)) {
                return exp;
            }
        }
        return Math.log(v) / Math.log(2);
    }

    private interface DoubleOp {
        double apply(double v);
    }

    /** A function of each value; the result drops the metric name. */
    private SampleVector map(SampleVector in, DoubleOp op) {
        SampleVector out = new SampleVector(in.size);
        for (int i = 0; i < in.size; i++) {
            out.add(in.labels[i].withoutMetricName(), op.apply(in.values[i]), time);
        }
        return out;
    }

    private SampleVector sorted(SampleVector in, boolean descending) {
        Integer[] order = new Integer[in.size];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            double x = in.values[a];
            double y = in.values[b];
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return Boolean.compare(Double.isNaN(x), Double.isNaN(y)); // NaN last either way
            }
            return descending ? Double.compare(y, x) : Double.compare(x, y);
        });
        SampleVector out = new SampleVector(in.size);
        for (int i : order) {
            out.add(in.labels[i], in.values[i], in.timestamps[i]);
        }
        return out;
    }

    /** absent(): the labels of the selector's equality matchers (a label matched twice is left out). */
    static Labels absentLabels(Ast.Node arg) {
        Ast.Node n = Ast.unwrap(arg);
        List<LabelMatcher> matchers;
        if (n instanceof Ast.VectorSelector vs) {
            matchers = vs.matchers();
        } else if (n instanceof Ast.MatrixSelector ms) {
            matchers = ms.selector().matchers();
        } else {
            return Labels.EMPTY;
        }
        Labels result = Labels.EMPTY;
        List<String> seen = new ArrayList<>();
        for (LabelMatcher m : matchers) {
            if (m.name().equals(Labels.METRIC_NAME)) {
                continue;
            }
            if (m.type() == LabelMatcher.Type.EQUAL && !seen.contains(m.name())) {
                result = result.set(m.name(), m.value());
                seen.add(m.name());
            } else {
                result = result.set(m.name(), "");
            }
        }
        return result;
    }

    private SampleVector labelReplace(Ast.Call c) {
        SampleVector in = vector(c.args().get(0));
        String dst = FunctionArguments.string(c, 1);
        String replacement = FunctionArguments.string(c, 2);
        String src = FunctionArguments.string(c, 3);
        Pattern regex = FunctionArguments.labelReplacePattern(FunctionArguments.string(c, 4));
        SampleVector out = new SampleVector(in.size);
        for (int i = 0; i < in.size; i++) {
            Labels l = in.labels[i];
            Matcher m = regex.matcher(l.get(src));
            if (m.matches()) {
                l = l.set(dst, GoRegexpExpand.expand(replacement, m, regex.namedGroups()));
            }
            out.add(l, in.values[i], in.timestamps[i]);
        }
        return out;
    }

    private SampleVector labelJoin(Ast.Call c) {
        SampleVector in = vector(c.args().get(0));
        String dst = FunctionArguments.string(c, 1);
        String separator = FunctionArguments.string(c, 2);
        SampleVector out = new SampleVector(in.size);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < in.size; i++) {
            sb.setLength(0);
            for (int a = 3; a < c.args().size(); a++) {
                if (a > 3) {
                    sb.append(separator);
                }
                sb.append(in.labels[i].get(FunctionArguments.string(c, a)));
            }
            out.add(in.labels[i].set(dst, sb.toString()), in.values[i], in.timestamps[i]);
        }
        return out;
    }

    private SampleVector date(Ast.Call c) {
        SampleVector out;
        if (c.args().isEmpty()) {
            out = new SampleVector(1);
            out.add(Labels.EMPTY, dateField(c.function(), time / 1000), time);
            return out;
        }
        SampleVector in = vector(c.args().get(0));
        out = new SampleVector(in.size);
        for (int i = 0; i < in.size; i++) {
            out.add(in.labels[i].withoutMetricName(), dateField(c.function(), (long) in.values[i]), time);
        }
        return out;
    }

    private static double dateField(PromFunction f, long epochSecond) {
        ZonedDateTime t = Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC);
        return switch (f) {
            case MINUTE -> t.getMinute();
            case HOUR -> t.getHour();
            case DAY_OF_WEEK -> t.getDayOfWeek().getValue() % 7;
            case DAY_OF_MONTH -> t.getDayOfMonth();
            case DAY_OF_YEAR -> t.getDayOfYear();
            case DAYS_IN_MONTH -> t.toLocalDate().lengthOfMonth();
            case MONTH -> t.getMonthValue();
            case YEAR -> t.getYear();
            default -> throw new IllegalStateException(f.toString());
        };
    }

    /**
     * Classic histograms: samples grouped by their labels without {@code le} (metric name included), each group's
     * buckets read from the {@code le} label (Go's float syntax; others ignored); results drop name and {@code le}.
     */
    private SampleVector histogramQuantile(double q, SampleVector in) {
        LabelsIndex groups = new LabelsIndex(in.size);
        List<Labels> outLabels = new ArrayList<>();
        List<double[]> bounds = new ArrayList<>();
        List<double[]> counts = new ArrayList<>();
        int[] sizes = new int[Math.max(4, in.size)];
        String[] le = {"le"};
        String[] nameAndLe = {Labels.METRIC_NAME, "le"};
        for (int i = 0; i < in.size; i++) {
            String bound = in.labels[i].get("le");
            if (!GoNumbers.isFloat(bound)) {
                continue;
            }
            double upper = GoNumbers.parseFloat(bound);
            Labels key = in.labels[i].project(false, le);
            int g = groups.putIfAbsent(key, outLabels.size());
            if (g < 0) {
                g = outLabels.size();
                outLabels.add(in.labels[i].project(false, nameAndLe));
                bounds.add(new double[8]);
                counts.add(new double[8]);
            }
            int n = sizes[g];
            if (n == bounds.get(g).length) {
                bounds.set(g, Arrays.copyOf(bounds.get(g), n * 2));
                counts.set(g, Arrays.copyOf(counts.get(g), n * 2));
            }
            bounds.get(g)[n] = upper;
            counts.get(g)[n] = in.values[i];
            sizes[g] = n + 1;
        }
        SampleVector out = new SampleVector(outLabels.size());
        for (int g = 0; g < outLabels.size(); g++) {
            out.add(outLabels.get(g), HistogramQuantile.bucketQuantile(q, bounds.get(g), counts.get(g), sizes[g]),
                    time);
        }
        return out;
    }

    private SampleVector rangeFunction(Ast.Call c, int matrixArg) {
        PromFunction f = c.function();
        double scalarArg = 0;
        for (int i = 0; i < c.args().size(); i++) {
            if (i != matrixArg) {
                scalarArg = scalar(c.args().get(i));
            }
        }
        Ast.MatrixSelector ms = (Ast.MatrixSelector) Ast.unwrap(c.args().get(matrixArg));
        long offset = ms.selector().offsetMillis();
        long maxt = time - offset;
        long mint = maxt - ms.rangeMillis();
        List<Series> series = select(ms.selector().matchers(), mint, maxt);
        SampleVector out = new SampleVector(series.size());
        double[] regression = new double[2];
        boolean[] ok = new boolean[1];
        for (Series s : series) {
            int n = collect(s, mint, maxt);
            if (n == 0) {
                continue;
            }
            long[] t = scratchT;
            double[] v = scratchV;
            double value;
            switch (f) {
                case RATE, INCREASE, DELTA -> {
                    if (n < 2) {
                        continue;
                    }
                    value = RangeFunctions.extrapolatedRate(t, v, n, time, ms.rangeMillis(), offset,
                            f != PromFunction.DELTA, f == PromFunction.RATE);
                }
                case IRATE, IDELTA -> {
                    if (n < 2) {
                        continue;
                    }
                    value = RangeFunctions.instantValue(t, v, n, f == PromFunction.IRATE, ok);
                    if (!ok[0]) {
                        continue;
                    }
                }
                case DERIV -> {
                    if (n < 2) {
                        continue;
                    }
                    RangeFunctions.linearRegression(t, v, n, t[0], regression);
                    value = regression[0];
                }
                case PREDICT_LINEAR -> {
                    if (n < 2) {
                        continue;
                    }
                    RangeFunctions.linearRegression(t, v, n, time, regression);
                    value = regression[0] * scalarArg + regression[1];
                }
                case AVG_OVER_TIME -> value = RangeFunctions.avgOverTime(v, n);
                case MIN_OVER_TIME -> value = RangeFunctions.minOverTime(v, n);
                case MAX_OVER_TIME -> value = RangeFunctions.maxOverTime(v, n);
                case SUM_OVER_TIME -> value = RangeFunctions.sumOverTime(v, n);
                case COUNT_OVER_TIME -> value = n;
                case LAST_OVER_TIME -> value = v[n - 1];
                case QUANTILE_OVER_TIME -> value = RangeFunctions.quantile(scalarArg, Arrays.copyOf(v, n), n);
                case STDDEV_OVER_TIME -> value = Math.sqrt(RangeFunctions.stdvarOverTime(v, n));
                case STDVAR_OVER_TIME -> value = RangeFunctions.stdvarOverTime(v, n);
                case PRESENT_OVER_TIME, ABSENT_OVER_TIME -> value = 1;
                case CHANGES -> value = RangeFunctions.changes(v, n);
                case RESETS -> value = RangeFunctions.resets(v, n);
                default -> throw new IllegalStateException("not a range function: " + f);
            }
            // last_over_time acts like an offset and keeps the metric name; the others drop it
            Labels labels = f == PromFunction.LAST_OVER_TIME ? s.labels() : s.labels().withoutMetricName();
            out.add(labels, value, time);
        }
        if (f == PromFunction.ABSENT_OVER_TIME) {
            SampleVector absent = new SampleVector(1);
            if (out.isEmpty()) {
                absent.add(absentLabels(ms), 1, time);
            }
            return absent;
        }
        return out;
    }

    // ---- checks ------------------------------------------------------------------------------------------

    /**
     * A range function over a selector that names its metric ({@code rate(x[5m])}): every input series has the
     * same name, so dropping it cannot make two label sets equal, and the duplicate check can be skipped.
     */
    private static boolean oneMetricName(Ast.Call c) {
        int m = c.function().matrixArgument();
        if (m < 0) {
            return false;
        }
        for (LabelMatcher matcher : ((Ast.MatrixSelector) Ast.unwrap(c.args().get(m))).selector().matchers()) {
            if (matcher.type() == LabelMatcher.Type.EQUAL && matcher.name().equals(Labels.METRIC_NAME)) {
                return true;
            }
        }
        return false;
    }

    private static SampleVector checkNoDuplicates(SampleVector v, int position) {
        if (v.size < 2) {
            return v;
        }
        LabelsIndex seen = new LabelsIndex(v.size);
        for (int i = 0; i < v.size; i++) {
            if (seen.putIfAbsent(v.labels[i], i) >= 0) {
                throw new PromQLException("vector cannot contain metrics with the same labelset", position);
            }
        }
        return v;
    }
}
