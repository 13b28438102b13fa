package io.vigil.alerts.promql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The aggregation operators ({@code sum avg min max count group stddev stdvar topk bottomk quantile
 * count_values}) with {@code by}/{@code without}, as Prometheus 2.42's evaluator aggregates: groups in order of
 * first appearance, the result labels are the grouping labels ({@code by}) or all but them and the metric name
 * ({@code without}); {@code topk}/{@code bottomk} keep the full labels of the samples they select, chosen with
 * the same heap, so ties resolve alike.
 */
final class Aggregation {

    private Aggregation() {
    }

    /** One group's running state. */
    private static final class Group {
        final Labels labels;
        double value;
        double mean;
        int count;
        // topk/bottomk heap, quantile values
        double[] heapValues;
        Labels[] heapLabels;
        int heapSize;

        Group(Labels labels) {
            this.labels = labels;
        }
    }

    static SampleVector aggregate(TokenType op, List<String> grouping, boolean without, double param,
                                  String valueLabel, SampleVector in, int position) {
        long k = 0;
        if (op == TokenType.TOPK || op == TokenType.BOTTOMK) {
            if (!(param <= 9.223372036854775807e18 && param >= -9.223372036854775808e18)) {
                throw new PromQLException("Scalar value " + GoNumbers.format(param) + " overflows int64", position);
            }
            k = (long) param;
            if (k < 1) {
                return new SampleVector(0);
            }
        }
        String[] names = grouping.toArray(new String[0]);
        String[] withoutNames = null;
        if (without) {
            withoutNames = Arrays.copyOf(names, names.length + 1);
            withoutNames[names.length] = Labels.METRIC_NAME;
        } else if (op == TokenType.COUNT_VALUES) {
            names = Arrays.copyOf(names, names.length + 1);
            names[names.length - 1] = valueLabel;
        }
        LabelsIndex index = new LabelsIndex(Math.min(in.size, 64));
        List<Group> groups = new ArrayList<>();
        for (int i = 0; i < in.size; i++) {
            Labels metric = in.labels[i];
            double v = in.values[i];
            if (op == TokenType.COUNT_VALUES) {
                metric = metric.set(valueLabel, GoNumbers.formatPlain(v));
            }
            Labels key = without ? metric.project(false, withoutNames)
                    : names.length > 0 ? metric.project(true, names) : Labels.EMPTY;
            int g = index.putIfAbsent(key, groups.size());
            if (g < 0) {
                Group group = new Group(key);
                group.value = v;
                group.mean = v;
                group.count = 1;
                switch (op) {
                    case STDVAR, STDDEV -> group.value = 0;
                    case GROUP -> group.value = 1;
                    case TOPK, BOTTOMK, QUANTILE -> {
                        int capacity = (int) Math.max(1, Math.min(k == 0 ? 4 : k, in.size));
                        group.heapValues = new double[capacity];
                        group.heapLabels = new Labels[capacity];
                        group.heapValues[0] = v;
                        group.heapLabels[0] = in.labels[i];
                        group.heapSize = 1;
                    }
                    default -> {
                    }
                }
                groups.add(group);
                continue;
            }
            Group group = groups.get(g);
            switch (op) {
                case SUM -> group.value += v;
                case AVG -> {
                    group.count++;
                    if (Double.isInfinite(group.mean)) {
                        if (Double.isInfinite(v) && (group.mean > 0) == (v > 0)) {
                            break;
                        }
                        if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                            break;
                        }
                    }
                    group.mean += v / group.count - group.mean / group.count;
                }
                case GROUP -> {
                }
                case MAX -> {
                    if (group.value < v || Double.isNaN(group.value)) {
                        group.value = v;
                    }
                }
                case MIN -> {
                    if (group.value > v || Double.isNaN(group.value)) {
                        group.value = v;
                    }
                }
                case COUNT, COUNT_VALUES -> group.count++;
                case STDVAR, STDDEV -> {
                    group.count++;
                    double delta = v - group.mean;
                    group.mean += delta / group.count;
                    group.value += delta * (v - group.mean);
                }
                case TOPK, BOTTOMK -> offer(group, op == TokenType.TOPK, k, in.labels[i], v);
                case QUANTILE -> {
                    if (group.heapSize == group.heapValues.length) {
                        group.heapValues = Arrays.copyOf(group.heapValues, group.heapSize * 2);
                        group.heapLabels = Arrays.copyOf(group.heapLabels, group.heapSize * 2);
                    }
                    group.heapValues[group.heapSize++] = v;
                }
                default -> throw new IllegalStateException("not an aggregation: " + op);
            }
        }
        SampleVector out = new SampleVector(groups.size());
        for (Group group : groups) {
            switch (op) {
                case AVG -> out.add(group.labels, group.mean, 0);
                case COUNT, COUNT_VALUES -> out.add(group.labels, group.count, 0);
                case STDVAR -> out.add(group.labels, group.value / group.count, 0);
                case STDDEV -> out.add(group.labels, Math.sqrt(group.value / group.count), 0);
                case TOPK, BOTTOMK -> emitHeap(group, op == TokenType.TOPK, out);
                case QUANTILE -> out.add(group.labels,
                        RangeFunctions.quantile(param, group.heapValues, group.heapSize), 0);
                default -> out.add(group.labels, group.value, 0);
            }
        }
        return out;
    }

    // ---- topk / bottomk: Go's container/heap with Prometheus' orderings ----------------------------------

    /** topk's heap is a min-heap with NaN smallest; bottomk's a max-heap with NaN largest. */
    private static boolean less(Group g, boolean top, int i, int j) {
        double a = g.heapValues[i];
        if (Double.isNaN(a)) {
            return true;
        }
        return top ? a < g.heapValues[j] : a > g.heapValues[j];
    }

    private static void offer(Group g, boolean top, long k, Labels labels, double v) {
        double head = g.heapValues[0];
        boolean better = top ? head < v : head > v;
        if (g.heapSize < k || better || Double.isNaN(head)) {
            if (g.heapSize == k) {
                if (k == 1) {
                    g.heapValues[0] = v;
                    g.heapLabels[0] = labels;
                    return;
                }
                pop(g, top);
            }
            push(g, top, labels, v);
        }
    }

    private static void push(Group g, boolean top, Labels labels, double v) {
        if (g.heapSize == g.heapValues.length) {
            g.heapValues = Arrays.copyOf(g.heapValues, g.heapSize * 2);
            g.heapLabels = Arrays.copyOf(g.heapLabels, g.heapSize * 2);
        }
        g.heapValues[g.heapSize] = v;
        g.heapLabels[g.heapSize] = labels;
        g.heapSize++;
        // up
        int j = g.heapSize - 1;
        while (true) {
            int i = (j - 1) / 2;
            if (i == j || !less(g, top, j, i)) {
                break;
            }
            swap(g, i, j);
            j = i;
        }
    }

    private static void pop(Group g, boolean top) {
        int n = g.heapSize - 1;
        swap(g, 0, n);
        // down(0, n)
        int i = 0;
        while (true) {
            int j1 = 2 * i + 1;
            if (j1 >= n || j1 < 0) {
                break;
            }
            int j = j1;
            int j2 = j1 + 1;
            if (j2 < n && less(g, top, j2, j1)) {
                j = j2;
            }
            if (!less(g, top, j, i)) {
                break;
            }
            swap(g, i, j);
            i = j;
        }
        g.heapSize = n;
        g.heapLabels[n] = null;
    }

    private static void swap(Group g, int i, int j) {
        double v = g.heapValues[i];
        g.heapValues[i] = g.heapValues[j];
        g.heapValues[j] = v;
        Labels l = g.heapLabels[i];
        g.heapLabels[i] = g.heapLabels[j];
        g.heapLabels[j] = l;
    }

    /** topk: descending, NaN last; bottomk: ascending, NaN last. */
    private static void emitHeap(Group g, boolean top, SampleVector out) {
        Integer[] order = new Integer[g.heapSize];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            double x = g.heapValues[a];
            double y = g.heapValues[b];
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return Boolean.compare(Double.isNaN(x), Double.isNaN(y));
            }
            return top ? Double.compare(y, x) : Double.compare(x, y);
        });
        for (int i : order) {
            out.add(g.heapLabels[i], g.heapValues[i], 0);
        }
    }
}
