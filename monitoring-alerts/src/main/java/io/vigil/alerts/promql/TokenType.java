package io.vigil.alerts.promql;

import java.util.Locale;
import java.util.Map;

/** The kinds of token {@link Lexer} produces, with Prometheus' keyword table (keywords are case-insensitive). */
enum TokenType {
    EOF("end of input"), NUMBER("number"), DURATION("duration"), STRING("string"), IDENTIFIER("identifier"),
    METRIC_IDENTIFIER("metric identifier"),
    LEFT_PAREN("\"(\""), RIGHT_PAREN("\")\""), LEFT_BRACE("\"{\""), RIGHT_BRACE("\"}\""),
    LEFT_BRACKET("\"[\""), RIGHT_BRACKET("\"]\""), COMMA("\",\""), COLON("\":\""), AT("\"@\""),
    ADD("\"+\""), SUB("\"-\""), MUL("\"*\""), DIV("\"/\""), MOD("\"%\""), POW("\"^\""),
    EQL("\"=\""), EQLC("\"==\""), NEQ("\"!=\""), LSS("\"<\""), LTE("\"<=\""), GTR("\">\""), GTE("\">=\""),
    EQL_REGEX("\"=~\""), NEQ_REGEX("\"!~\""),
    // keywords
    AND("and"), OR("or"), UNLESS("unless"), ATAN2("atan2"), OFFSET("offset"), BY("by"), WITHOUT("without"),
    ON("on"), IGNORING("ignoring"), GROUP_LEFT("group_left"), GROUP_RIGHT("group_right"), BOOL("bool"),
    START("start"), END("end"),
    // aggregators
    SUM("sum"), AVG("avg"), COUNT("count"), MIN("min"), MAX("max"), GROUP("group"), STDDEV("stddev"),
    STDVAR("stdvar"), TOPK("topk"), BOTTOMK("bottomk"), COUNT_VALUES("count_values"), QUANTILE("quantile");

    private static final Map<String, TokenType> KEYWORDS = Map.ofEntries(
            Map.entry("and", AND), Map.entry("or", OR), Map.entry("unless", UNLESS), Map.entry("atan2", ATAN2),
            Map.entry("offset", OFFSET), Map.entry("by", BY), Map.entry("without", WITHOUT), Map.entry("on", ON),
            Map.entry("ignoring", IGNORING), Map.entry("group_left", GROUP_LEFT),
            Map.entry("group_right", GROUP_RIGHT), Map.entry("bool", BOOL), Map.entry("start", START),
            Map.entry("end", END), Map.entry("sum", SUM), Map.entry("avg", AVG), Map.entry("count", COUNT),
            Map.entry("min", MIN), Map.entry("max", MAX), Map.entry("group", GROUP), Map.entry("stddev", STDDEV),
            Map.entry("stdvar", STDVAR), Map.entry("topk", TOPK), Map.entry("bottomk", BOTTOMK),
            Map.entry("count_values", COUNT_VALUES), Map.entry("quantile", QUANTILE),
            // Prometheus lexes Inf and NaN (any case) as numbers.
            Map.entry("inf", NUMBER), Map.entry("nan", NUMBER));

    private final String description;

    TokenType(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    /** The keyword {@code word} spells (case-insensitive), or null. */
    static TokenType keyword(String word) {
        return KEYWORDS.get(word.toLowerCase(Locale.ROOT));
    }

    boolean isAggregator() {
        return ordinal() >= SUM.ordinal();
    }

    /** Aggregators with a parameter before the vector: {@code topk(3, x)}. */
    boolean isAggregatorWithParam() {
        return this == TOPK || this == BOTTOMK || this == COUNT_VALUES || this == QUANTILE;
    }

    boolean isComparison() {
        return this == EQLC || this == NEQ || this == LSS || this == LTE || this == GTR || this == GTE;
    }

    boolean isSetOperator() {
        return this == AND || this == OR || this == UNLESS;
    }

    /** Binary operator precedence as in Prometheus' grammar (higher binds tighter); 0 for non-operators. */
    int precedence() {
        return switch (this) {
            case OR -> 1;
            case AND, UNLESS -> 2;
            case EQLC, NEQ, LSS, LTE, GTR, GTE -> 3;
            case ADD, SUB -> 4;
            case MUL, DIV, MOD, ATAN2 -> 5;
            case POW -> 6;
            default -> 0;
        };
    }

    /** The operator as written in PromQL. */
    String symbol() {
        return description.startsWith("\"") ? description.substring(1, description.length() - 1) : description;
    }
}
