package io.vigil.alerts.promql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParserTest {

    // ---- precedence and associativity --------------------------------------------------------------------

    @ParameterizedTest(name = "{0}  =>  {1}")
    @CsvSource(delimiter = '|', value = {
        "1 + 2 * 3                  | (1 + (2 * 3))",
        "1 * 2 + 3                  | ((1 * 2) + 3)",
        "1 - 2 - 3                  | ((1 - 2) - 3)",
        "2 ^ 3 ^ 2                  | (2 ^ (3 ^ 2))",
        "-2 ^ 2                     | (-(2 ^ 2))",
        "-a * b                     | ((-a) * b)",
        "a * -b ^ c                 | (a * (-(b ^ c)))",
        "a ^ -b * c                 | ((a ^ (-b)) * c)",
        "a + b > c * d              | ((a + b) > (c * d))",
        "a > b and c < d or e       | (((a > b) and (c < d)) or e)",
        "a or b unless c            | (a or (b unless c))",
        "a unless b and c           | ((a unless b) and c)",
        "a % b atan2 c / d          | (((a % b) atan2 c) / d)",
        "(1 + 2) * 3                | ((1 + 2) * 3)",
        "a == bool b != bool c      | ((a == bool b) != bool c)",
        "a + on(x) group_left(y) b  | (a + on(x) group_left(y) b)",
        "a / ignoring(code) b       | (a / ignoring(code) b)",
        "sum by (job) (a) / sum(b)  | (sum by(job) (a) / sum(b))",
        "sum(a) by (job)            | sum by(job) (a)",
        "-a offset 5m               | (-a offset 5m)",
        "a ^ b offset 1m            | (a ^ b offset 1m)",
        "topk(3, a)                 | topk(3, a)",
        "- - 1                      | 1",
        "+a                         | (+a)",
    })
    void precedenceAndAssociativityAreProms(String promql, String parenthesized) {
        assertThat(AstPrinter.print(promql)).isEqualTo(parenthesized);
    }

    // ---- literals ----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "42        | 42.0",
        "0x1F      | 31.0",
        "0XfF      | 255.0",
        "010       | 8.0",      // Go's base prefix: a leading zero is octal
        "09        | 9.0",      // not octal, so a float
        "1e3       | 1000.0",
        "2.5E-1    | 0.25",
        ".5        | 0.5",
        "5.        | 5.0",
        "-7        | -7.0",
        "Inf       | Infinity",
        "-inf      | -Infinity",
        "+INF      | Infinity",
    })
    void numberLiterals(String promql, double expected) {
        assertThat(scalar(promql)).isEqualTo(expected);
    }

    @Test
    void nanLiteral() {
        assertThat(scalar("NaN")).isNaN();
        assertThat(scalar("nan")).isNaN();
    }

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource(delimiter = '|', value = {
        "5m     | 300000",
        "1h30m  | 5400000",
        "1d     | 86400000",
        "1w     | 604800000",
        "1y     | 31536000000",
        "250ms  | 250",
        "1m30s  | 90000",
        "2h5s   | 7205000",
    })
    void durationLiterals(String duration, long millis) {
        Expression e = Expression.parse("rate(x[" + duration + "])");
        assertThat(e.lookback()).isEqualTo(Duration.ofMillis(millis));
        assertThat(Expression.parse("x offset " + duration).lookback())
                .isEqualTo(Duration.ofMillis(millis).plusMinutes(5));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '§', value = {
        "\"double\"                 | double",
        "'single'                   | single",
        "`raw \\n kept`             | raw \\n kept",
        "\"tab\\there\"             | tab\there",
        "\"quote \\\" inside\"      | quote \" inside",
        "'it\\'s'                   | it's",
        "\"\\x41\\101\\u00e9\\U0001F600\" | AAé\uD83D\uDE00",
        "\"back\\\\slash\"          | back\\slash",
    })
    void stringLiterals(String promql, String value) {
        Value v = Expression.parse(promql).evaluate(0, (m, a, b) -> List.of());
        assertThat(v).isEqualTo(new Value.Text(value));
    }

    @Test
    void matchersInSelectors() {
        Expression e = Expression.parse("http_requests_total{method=\"GET\", status=~\"5..\", uri!=\"/health\", "
                + "job!~`batch.*`,}");
        assertThat(e.selectors()).hasSize(1);
        assertThat(e.selectors().get(0)).extracting(LabelMatcher::toString).containsExactly(
                "method=\"GET\"", "status=~\"5..\"", "uri!=\"/health\"", "job!~\"batch.*\"",
                "__name__=\"http_requests_total\"");
        assertThat(Expression.parse("{__name__=~\"job:.*\"}").selectors().get(0))
                .extracting(LabelMatcher::toString).containsExactly("__name__=~\"job:.*\"");
    }

    @Test
    void keywordsAreCaseInsensitiveAndMayNameMetricsAndLabels() {
        assertThat(AstPrinter.print("SUM BY (on, group) (a) AND b")).isEqualTo("(sum by(group, on) (a) and b)");
        assertThat(AstPrinter.print("sum{job=\"x\"} + by + offset")).isEqualTo("((sum{job=\"x\"} + by) + offset)");
        assertThat(AstPrinter.print("job:request_rate:5m # a comment\n > 1")).isEqualTo("(job:request_rate:5m > 1)");
    }

    @Test
    void lookbackAndSelectorsForTheStore() {
        Expression e = Expression.parse(
                "rate(a[10m] offset 1h) / on(x) b + absent_over_time(c[2h]) + d offset -30m + vector(1)");
        assertThat(e.lookback()).isEqualTo(Duration.ofHours(2));
        assertThat(e.selectors()).extracting(s -> s.get(s.size() - 1).value()).containsExactly("a", "b", "c", "d");
        assertThat(Expression.parse("rate(a[10m] offset 1h)").lookback()).isEqualTo(Duration.ofMinutes(70));
        assertThat(Expression.parse("vector(1) + time()").lookback()).isEqualTo(Duration.ZERO);
        assertThat(Expression.parse("vector(1) + time()").selectors()).isEmpty();
        assertThat(Expression.parse("a").lookback()).isEqualTo(Duration.ofMinutes(5));
    }

    // ---- what is rejected, naming it and where -----------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '§', value = {
        "rate(x[5m:1m])                       | subqueries are not supported                      | 6",
        "x[5m:]                               | subqueries are not supported                      | 1",
        "x @ 1000                             | the @ modifier is not supported                   | 2",
        "x @ start()                          | the @ modifier is not supported                   | 2",
        "holt_winters(x[5m], 0.5, 0.5)        | function \"holt_winters\" is not supported       | 0",
        "sin(x)                               | function \"sin\" is not supported                | 0",
        "histogram_count(x)                   | function \"histogram_count\" is not supported    | 0",
        "foo(x)                               | unknown function with name \"foo\"               | 0",
        "1 + nope(x)                          | unknown function with name \"nope\"              | 4",
        "a + bool b                           | bool modifier can only be used on comparison      | 2",
        "1 > 2                                | comparisons between scalars must use BOOL         | 2",
        "1 and 2                              | set operator \"and\" not allowed in binary scalar | 2",
        "a and on(x) group_left b             | no grouping allowed for \"and\" operation        | 2",
        "a and 1                              | set operator \"and\" not allowed in binary scalar | 2",
        "1 + on(x) a                          | vector matching only allowed between instant vectors | 2",
        "a * on(x) group_left(x) b            | label \"x\" must not occur in ON and GROUP clause | 2",
        "a[5m] + 1                            | binary expression must contain only scalar and instant vector types | 0",
        "sum(x)[5m]                           | ranges only allowed for vector selectors          | 6",
        "(x)[5m]                              | ranges only allowed for vector selectors          | 3",
        "sum(x) offset 5m                     | offset modifier must be preceded by               | 7",
        "x offset 1m offset 2m                | offset may not be set multiple times              | 12",
        "x offset 1m [5m]                     | no offset modifiers allowed before range          | 12",
        "x{__name__=\"y\"}                    | metric name must not be set twice                 | 0",
        "{job=\"\"}                           | vector selector must contain at least one non-empty matcher | 0",
        "{job=~\".*\"}                        | vector selector must contain at least one non-empty matcher | 0",
        "x{job=~\"(\"}                        | invalid regular expression                        | 7",
        "rate(x)                              | expected type range vector in call to function \"rate\", got instant vector | 5",
        "rate(x[5m], 1)                       | expected 1 argument(s) in call to \"rate\", got 2 | 0",
        "round()                              | expected at least 1 argument(s) in call to \"round\", got 0 | 0",
        "round(x, 1, 2)                       | expected at most 2 argument(s) in call to \"round\", got 3 | 0",
        "clamp_min(x, y)                      | expected type scalar in call to function \"clamp_min\", got instant vector | 13",
        "abs(x,)                              | trailing commas not allowed in function call args | 5",
        "sum(x[5m])                           | expected type instant vector in aggregation expression, got range vector | 4",
        "topk(x)                              | wrong number of arguments for aggregate expression provided, expected 2, got 1 | 0",
        "sum()                                | no arguments for aggregate expression provided    | 0",
        "topk(\"3\", x)                       | expected type scalar in aggregation parameter, got string | 5",
        "count_values(1, x)                   | expected type string in aggregation parameter, got scalar | 13",
        "count_values(\"bad-label\", x)       | invalid label name \"bad-label\"                 | 13",
        "-x[5m]                               | unary expression only allowed on expressions of type scalar or instant vector | 0",
        "label_replace(x, \"a-b\", \"\", \"c\", \".*\") | invalid destination label name in label_replace(): a-b | 17",
        "label_replace(x, \"a\", \"\", \"c\", \"(\")   | invalid regular expression in label_replace(): ( | 31",
        "rate(x[0s])                          | duration must be greater than 0                   | 7",
        "rate(x[5])                           | missing unit character in duration                | 7",
        "rate(x[5m1h])                        | not a valid duration string                       | 7",
        "x offset 5                           | unexpected number \"5\" in offset, expected duration | 9",
        "(1 + 2                               | unclosed left parenthesis                         | 6",
        "1 + 2)                               | unexpected right parenthesis                      | 5",
        "x{a=\"b\"                            | unexpected end of input inside braces             | 7",
        "x{a=1}                               | unexpected character inside braces: '1'           | 4",
        "x{a\"b\"}                            | unexpected string \"\"b\"\" in label matching     | 3",
        "\"unterminated                       | unterminated quoted string                        | 0",
        "'\\q'                                | unknown escape sequence                           | 1",
        "1 +                                  | unexpected end of input                           | 3",
        "1 $ 2                                | unexpected character: '$'                         | 2",
        "sum by (1) (x)                       | unexpected number \"1\" in grouping opts         | 8",
        "x y                                  | unexpected identifier \"y\"                       | 2",
    })
    void rejectsNamingWhatAndWhere(String promql, String message, int position) {
        assertThatThrownBy(() -> Expression.parse(promql))
                .isInstanceOf(PromQLException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((PromQLException) e).position()).as(e.getMessage()).isEqualTo(position))
                .hasMessageEndingWith("(at position " + position + ")");
    }

    @Test
    void emptyInputIsRejected() {
        assertThatThrownBy(() -> Expression.parse("  # only a comment"))
                .isInstanceOf(PromQLException.class).hasMessageContaining("no expression found in input");
    }

    @Test
    void resultTypes() {
        assertThat(Expression.parse("1 + 2").resultType()).isEqualTo("scalar");
        assertThat(Expression.parse("x + 2").resultType()).isEqualTo("instant vector");
        assertThat(Expression.parse("x[5m]").resultType()).isEqualTo("range vector");
        assertThat(Expression.parse("scalar(x) * time()").resultType()).isEqualTo("scalar");
        assertThat(Expression.parse("\"s\"").resultType()).isEqualTo("string");
    }

    private static double scalar(String promql) {
        Value v = Expression.parse(promql).evaluate(0, (m, a, b) -> List.of());
        return ((Value.Scalar) v).value();
    }
}
