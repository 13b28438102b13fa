package io.vigil.alerts.promql;

import java.util.ArrayList;
import java.util.List;

/**
 * Binary operators as Prometheus 2.42 evaluates them: scalar–scalar, vector–scalar, and vector–vector with
 * {@code on}/{@code ignoring} matching, {@code group_left}/{@code group_right}, the set operators, {@code bool},
 * the metric name dropped by arithmetic (not by filtering comparisons), and the same errors for ambiguous
 * matches.
 */
final class BinaryOperations {

    private BinaryOperations() {
    }

    /** Arithmetic drops the metric name; comparisons and set operators keep it. */
    static boolean dropsMetricName(TokenType op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, POW, MOD -> true;
            default -> false;
        };
    }

    /** Scalar–scalar (comparisons return 1 or 0: the parser demands {@code bool}). */
    static double scalar(TokenType op, double l, double r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case POW -> pow(l, r);
            case MOD -> l % r;
            case ATAN2 -> Math.atan2(l, r);
            case EQLC -> l == r ? 1 : 0;
            case NEQ -> l != r ? 1 : 0;
            case GTR -> l > r ? 1 : 0;
            case LSS -> l < r ? 1 : 0;
            case GTE -> l >= r ? 1 : 0;
            case LTE -> l <= r ? 1 : 0;
            default -> throw new IllegalStateException("operator " + op + " not allowed for scalar operations");
        };
    }

    /** Whether a comparison holds (for arithmetic always true). */
    static boolean keep(TokenType op, double l, double r) {
        return switch (op) {
            case EQLC -> l == r;
            case NEQ -> l != r;
            case GTR -> l > r;
            case LSS -> l < r;
            case GTE -> l >= r;
            case LTE -> l <= r;
            default -> true;
        };
    }

    /** Element value: arithmetic result, or for comparisons the left value. */
    static double element(TokenType op, double l, double r) {
        return op.isComparison() ? l : scalar(op, l, r);
    }

    /** Go's math.Pow where it differs from Java's: 1^y is 1 for any y, (-1)^±Inf is 1. */
    static double pow(double x, double y) {
        if (x == 1 || x == -1 && Double.isInfinite(y)) {
            return 1;
        }
        return Math.pow(x, y);
    }

    static SampleVector vectorScalar(TokenType op, SampleVector vec, double scalar, boolean swap, boolean returnBool) {
        SampleVector out = new SampleVector(vec.size);
        boolean drop = dropsMetricName(op) || returnBool;
        for (int i = 0; i < vec.size; i++) {
            double lv = swap ? scalar : vec.values[i];
            double rv = swap ? vec.values[i] : scalar;
            double value = element(op, lv, rv);
            boolean keep = keep(op, lv, rv);
            if (op.isComparison() && swap) {
                value = rv;
            }
            if (returnBool) {
                value = keep ? 1 : 0;
                keep = true;
            }
            if (keep) {
                out.add(drop ? vec.labels[i].withoutMetricName() : vec.labels[i], value, vec.timestamps[i]);
            }
        }
        return out;
    }

    /** The labels two samples are matched on. */
    static Labels signature(Labels labels, Ast.VectorMatching matching, String[] names) {
        return matching.on() ? labels.project(true, names) : labels.project(false, names);
    }

    /** {@code on(...)}: the listed labels; {@code ignoring(...)}: those plus the metric name, to drop. */
    static String[] signatureNames(Ast.VectorMatching matching) {
        List<String> labels = matching.matchingLabels();
        if (matching.on()) {
            return labels.toArray(new String[0]);
        }
        String[] names = labels.toArray(new String[labels.size() + 1]);
        names[labels.size()] = Labels.METRIC_NAME;
        return names;
    }

    static SampleVector and(SampleVector lhs, SampleVector rhs, Ast.VectorMatching matching) {
        SampleVector out = new SampleVector(lhs.size);
        if (lhs.isEmpty() || rhs.isEmpty()) {
            return out;
        }
        String[] names = signatureNames(matching);
        LabelsIndex right = new LabelsIndex(rhs.size);
        for (int i = 0; i < rhs.size; i++) {
            right.putIfAbsent(signature(rhs.labels[i], matching, names), i);
        }
        for (int i = 0; i < lhs.size; i++) {
            if (right.get(signature(lhs.labels[i], matching, names)) >= 0) {
                out.add(lhs.labels[i], lhs.values[i], lhs.timestamps[i]);
            }
        }
        return out;
    }

    static SampleVector or(SampleVector lhs, SampleVector rhs, Ast.VectorMatching matching) {
        if (lhs.isEmpty()) {
            return rhs;
        }
        if (rhs.isEmpty()) {
            return lhs;
        }
        String[] names = signatureNames(matching);
        SampleVector out = new SampleVector(lhs.size + rhs.size);
        LabelsIndex left = new LabelsIndex(lhs.size);
        for (int i = 0; i < lhs.size; i++) {
            left.putIfAbsent(signature(lhs.labels[i], matching, names), i);
            out.add(lhs.labels[i], lhs.values[i], lhs.timestamps[i]);
        }
        for (int i = 0; i < rhs.size; i++) {
            if (left.get(signature(rhs.labels[i], matching, names)) < 0) {
                out.add(rhs.labels[i], rhs.values[i], rhs.timestamps[i]);
            }
        }
        return out;
    }

    static SampleVector unless(SampleVector lhs, SampleVector rhs, Ast.VectorMatching matching) {
        if (lhs.isEmpty() || rhs.isEmpty()) {
            return lhs;
        }
        String[] names = signatureNames(matching);
        LabelsIndex right = new LabelsIndex(rhs.size);
        for (int i = 0; i < rhs.size; i++) {
            right.putIfAbsent(signature(rhs.labels[i], matching, names), i);
        }
        SampleVector out = new SampleVector(lhs.size);
        for (int i = 0; i < lhs.size; i++) {
            if (right.get(signature(lhs.labels[i], matching, names)) < 0) {
                out.add(lhs.labels[i], lhs.values[i], lhs.timestamps[i]);
            }
        }
        return out;
    }

    /** Arithmetic and comparisons between two vectors: one-to-one, many-to-one or one-to-many. */
    static SampleVector vectorVector(TokenType op, SampleVector lhsIn, SampleVector rhsIn,
                                     Ast.VectorMatching matching, boolean returnBool, int position) {
        SampleVector out = new SampleVector(Math.max(lhsIn.size, rhsIn.size));
        if (lhsIn.isEmpty() || rhsIn.isEmpty()) {
            return out;
        }
        Ast.Cardinality card = matching.cardinality();
        boolean oneToMany = card == Ast.Cardinality.ONE_TO_MANY;
        // The "many" side is iterated, the "one" side indexed.
        SampleVector lhs = oneToMany ? rhsIn : lhsIn;
        SampleVector rhs = oneToMany ? lhsIn : rhsIn;
        String[] names = signatureNames(matching);
        LabelsIndex right = new LabelsIndex(rhs.size);
        for (int i = 0; i < rhs.size; i++) {
            Labels sig = signature(rhs.labels[i], matching, names);
            int previous = right.putIfAbsent(sig, i);
            if (previous >= 0) {
                throw new PromQLException("found duplicate series for the match group " + sig
                        + " on the " + (oneToMany ? "left" : "right") + " hand-side of the operation: ["
                        + rhs.labels[i] + ", " + rhs.labels[previous] + "];many-to-many matching not allowed: "
                        + "matching labels must be unique on one side", position);
            }
        }
        LabelsIndex matched = new LabelsIndex(lhs.size);
        // many-to-one: per match group, the result label sets produced so far
        List<LabelsIndex> inserted = new ArrayList<>();
        String[] include = matching.include().toArray(new String[0]);
        String[] matchingNames = matching.matchingLabels().toArray(new String[0]);
        for (int i = 0; i < lhs.size; i++) {
            Labels sig = signature(lhs.labels[i], matching, names);
            int r = right.get(sig);
            if (r < 0) {
                continue;
            }
            double vl = lhs.values[i];
            double vr = rhs.values[r];
            if (oneToMany) {
                double t = vl;
                vl = vr;
                vr = t;
            }
            double value = element(op, vl, vr);
            boolean keep = keep(op, vl, vr);
            if (returnBool) {
                value = keep ? 1 : 0;
            } else if (!keep) {
                continue;
            }
            Labels metric = resultMetric(lhs.labels[i], rhs.labels[r], op, matching, matchingNames, include);
            if (returnBool) {
                metric = metric.withoutMetricName();
            }
            if (card == Ast.Cardinality.ONE_TO_ONE) {
                if (matched.putIfAbsent(sig, i) >= 0) {
                    throw new PromQLException("multiple matches for labels: many-to-one matching must be explicit "
                            + "(group_left/group_right)", position);
                }
            } else {
                // In many-to-one matching the grouping labels have to make every result unique.
                int slot = matched.putIfAbsent(sig, inserted.size());
                if (slot < 0) {
                    slot = inserted.size();
                    inserted.add(new LabelsIndex(4));
                }
                if (inserted.get(slot).putIfAbsent(metric, i) >= 0) {
                    throw new PromQLException("multiple matches for labels: grouping labels must ensure unique "
                            + "matches", position);
                }
            }
            out.add(metric, value, 0);
        }
        return out;
    }

    private static Labels resultMetric(Labels lhs, Labels rhs, TokenType op, Ast.VectorMatching matching,
                                       String[] matchingNames, String[] include) {
        Labels m = lhs;
        if (dropsMetricName(op)) {
            m = m.withoutMetricName();
        }
        if (matching.cardinality() == Ast.Cardinality.ONE_TO_ONE) {
            m = m.project(matching.on(), matchingNames);
        }
        for (String name : include) {
            m = m.set(name, rhs.get(name));
        }
        return m;
    }
}
