package io.vigil.alerts.promql;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static io.vigil.alerts.promql.ValueType.MATRIX;
import static io.vigil.alerts.promql.ValueType.SCALAR;
import static io.vigil.alerts.promql.ValueType.STRING;
import static io.vigil.alerts.promql.ValueType.VECTOR;

/**
 * The PromQL functions of Vigil's subset, with Prometheus' signatures (argument types, optional trailing
 * arguments, return type). Any other Prometheus function is named as unsupported when an expression is parsed.
 */
enum PromFunction {
    // range vector -> instant vector
    RATE("rate", VECTOR, 0, MATRIX),
    IRATE("irate", VECTOR, 0, MATRIX),
    INCREASE("increase", VECTOR, 0, MATRIX),
    DELTA("delta", VECTOR, 0, MATRIX),
    IDELTA("idelta", VECTOR, 0, MATRIX),
    DERIV("deriv", VECTOR, 0, MATRIX),
    PREDICT_LINEAR("predict_linear", VECTOR, 0, MATRIX, SCALAR),
    AVG_OVER_TIME("avg_over_time", VECTOR, 0, MATRIX),
    MIN_OVER_TIME("min_over_time", VECTOR, 0, MATRIX),
    MAX_OVER_TIME("max_over_time", VECTOR, 0, MATRIX),
    SUM_OVER_TIME("sum_over_time", VECTOR, 0, MATRIX),
    COUNT_OVER_TIME("count_over_time", VECTOR, 0, MATRIX),
    LAST_OVER_TIME("last_over_time", VECTOR, 0, MATRIX),
    QUANTILE_OVER_TIME("quantile_over_time", VECTOR, 0, SCALAR, MATRIX),
    STDDEV_OVER_TIME("stddev_over_time", VECTOR, 0, MATRIX),
    STDVAR_OVER_TIME("stdvar_over_time", VECTOR, 0, MATRIX),
    PRESENT_OVER_TIME("present_over_time", VECTOR, 0, MATRIX),
    ABSENT_OVER_TIME("absent_over_time", VECTOR, 0, MATRIX),
    CHANGES("changes", VECTOR, 0, MATRIX),
    RESETS("resets", VECTOR, 0, MATRIX),
    // instant vector -> instant vector
    ABS("abs", VECTOR, 0, VECTOR),
    CEIL("ceil", VECTOR, 0, VECTOR),
    FLOOR("floor", VECTOR, 0, VECTOR),
    EXP("exp", VECTOR, 0, VECTOR),
    SQRT("sqrt", VECTOR, 0, VECTOR),
    LN("ln", VECTOR, 0, VECTOR),
    LOG2("log2", VECTOR, 0, VECTOR),
    LOG10("log10", VECTOR, 0, VECTOR),
    SGN("sgn", VECTOR, 0, VECTOR),
    ROUND("round", VECTOR, 1, VECTOR, SCALAR),
    CLAMP("clamp", VECTOR, 0, VECTOR, SCALAR, SCALAR),
    CLAMP_MIN("clamp_min", VECTOR, 0, VECTOR, SCALAR),
    CLAMP_MAX("clamp_max", VECTOR, 0, VECTOR, SCALAR),
    ABSENT("absent", VECTOR, 0, VECTOR),
    TIMESTAMP("timestamp", VECTOR, 0, VECTOR),
    SORT("sort", VECTOR, 0, VECTOR),
    SORT_DESC("sort_desc", VECTOR, 0, VECTOR),
    LABEL_REPLACE("label_replace", VECTOR, 0, VECTOR, STRING, STRING, STRING, STRING),
    LABEL_JOIN("label_join", VECTOR, -1, VECTOR, STRING, STRING, STRING),
    HISTOGRAM_QUANTILE("histogram_quantile", VECTOR, 0, SCALAR, VECTOR),
    MINUTE("minute", VECTOR, 1, VECTOR),
    HOUR("hour", VECTOR, 1, VECTOR),
    DAY_OF_WEEK("day_of_week", VECTOR, 1, VECTOR),
    DAY_OF_MONTH("day_of_month", VECTOR, 1, VECTOR),
    DAY_OF_YEAR("day_of_year", VECTOR, 1, VECTOR),
    DAYS_IN_MONTH("days_in_month", VECTOR, 1, VECTOR),
    MONTH("month", VECTOR, 1, VECTOR),
    YEAR("year", VECTOR, 1, VECTOR),
    // scalars and conversions
    TIME("time", SCALAR, 0),
    VECTOR_FN("vector", VECTOR, 0, SCALAR),
    SCALAR_FN("scalar", SCALAR, 0, VECTOR),
    PI("pi", SCALAR, 0);

    /** Functions Prometheus 2.42 knows that Vigil's subset does not evaluate: rejected by name. */
    static final Set<String> UNSUPPORTED = Set.of("holt_winters", "histogram_count", "histogram_sum",
            "histogram_fraction", "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh",
            "tan", "tanh", "deg", "rad");

    private static final Map<String, PromFunction> BY_NAME = new HashMap<>();

    static {
        for (PromFunction f : values()) {
            BY_NAME.put(f.promName, f);
        }
    }

    private final String promName;
    private final ValueType returnType;
    /** Optional trailing arguments: 0 none, n the last n may be left out, -1 the last repeats without bound. */
    private final int variadic;
    private final ValueType[] argTypes;

    PromFunction(String promName, ValueType returnType, int variadic, ValueType... argTypes) {
        this.promName = promName;
        this.returnType = returnType;
        this.variadic = variadic;
        this.argTypes = argTypes;
    }

    static PromFunction byName(String name) {
        return BY_NAME.get(name);
    }

    String promName() {
        return promName;
    }

    ValueType returnType() {
        return returnType;
    }

    int variadic() {
        return variadic;
    }

    ValueType[] argTypes() {
        return argTypes;
    }

    /** The index of the range-vector argument, or -1. */
    int matrixArgument() {
        for (int i = 0; i < argTypes.length; i++) {
            if (argTypes[i] == MATRIX) {
                return i;
            }
        }
        return -1;
    }
}
