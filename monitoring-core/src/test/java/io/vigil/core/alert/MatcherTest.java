package io.vigil.core.alert;

import io.vigil.core.alert.Matcher.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.vigil.core.alert.Matcher.Type.EQUAL;
import static io.vigil.core.alert.Matcher.Type.NOT_EQUAL;
import static io.vigil.core.alert.Matcher.Type.NOT_REGEX;
import static io.vigil.core.alert.Matcher.Type.REGEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MatcherTest {

    private static Matcher m(Type type, String name, String value) {
        return Matcher.of(type, name, value);
    }

    /**
     * Every case of Alertmanager's {@code TestMatchers} in {@code pkg/labels/parse_test.go}
     * (prometheus/alertmanager, same cases in v0.25.0 and main): input and the matchers it must give.
     */
    static Stream<Arguments> alertmanagerParseCases() {
        return Stream.of(
                Arguments.of("{}", List.of()),
                Arguments.of("{foo='}", List.of(m(EQUAL, "foo", "'"))),
                Arguments.of("{foo=`}", List.of(m(EQUAL, "foo", "`"))),
                Arguments.of("{foo=\\\"}", List.of(m(EQUAL, "foo", "\""))),
                Arguments.of("{foo=bar}", List.of(m(EQUAL, "foo", "bar"))),
                Arguments.of("{foo=\"bar\"}", List.of(m(EQUAL, "foo", "bar"))),
                Arguments.of("{foo=~bar.*}", List.of(m(REGEX, "foo", "bar.*"))),
                Arguments.of("{foo=~\"bar.*\"}", List.of(m(REGEX, "foo", "bar.*"))),
                Arguments.of("{foo!=bar}", List.of(m(NOT_EQUAL, "foo", "bar"))),
                Arguments.of("{foo!=\"bar\"}", List.of(m(NOT_EQUAL, "foo", "bar"))),
                Arguments.of("{foo!~bar.*}", List.of(m(NOT_REGEX, "foo", "bar.*"))),
                Arguments.of("{foo!~\"bar.*\"}", List.of(m(NOT_REGEX, "foo", "bar.*"))),
                Arguments.of("{foo=\"bar\", baz!=\"quux\"}", List.of(m(EQUAL, "foo", "bar"), m(NOT_EQUAL, "baz", "quux"))),
                Arguments.of("{foo=\"bar\", baz!~\"quux.*\"}", List.of(m(EQUAL, "foo", "bar"), m(NOT_REGEX, "baz", "quux.*"))),
                Arguments.of("{foo=\"bar\",baz!~\".*quux\", derp=\"wat\"}",
                        List.of(m(EQUAL, "foo", "bar"), m(NOT_REGEX, "baz", ".*quux"), m(EQUAL, "derp", "wat"))),
                Arguments.of("{foo=\"bar\", baz!=\"quux\", derp=\"wat\"}",
                        List.of(m(EQUAL, "foo", "bar"), m(NOT_EQUAL, "baz", "quux"), m(EQUAL, "derp", "wat"))),
                Arguments.of("{foo=\"bar\", baz!~\".*quux.*\", derp=\"wat\"}",
                        List.of(m(EQUAL, "foo", "bar"), m(NOT_REGEX, "baz", ".*quux.*"), m(EQUAL, "derp", "wat"))),
                Arguments.of("{foo=\"bar\", instance=~\"some-api.*\"}",
                        List.of(m(EQUAL, "foo", "bar"), m(REGEX, "instance", "some-api.*"))),
                Arguments.of("{foo=\"\"}", List.of(m(EQUAL, "foo", ""))),
                Arguments.of("{foo=\"bar,quux\", job=\"job1\"}", List.of(m(EQUAL, "foo", "bar,quux"), m(EQUAL, "job", "job1"))),
                Arguments.of("{foo = \"bar\", dings != \"bums\", }", List.of(m(EQUAL, "foo", "bar"), m(NOT_EQUAL, "dings", "bums"))),
                Arguments.of("foo=bar,dings!=bums", List.of(m(EQUAL, "foo", "bar"), m(NOT_EQUAL, "dings", "bums"))),
                Arguments.of("{quote=\"She said: \\\"Hi, ladies! That's gender-neutral…\\\"\"}",
                        List.of(m(EQUAL, "quote", "She said: \"Hi, ladies! That's gender-neutral…\""))),
                Arguments.of("statuscode=~\"5..\"", List.of(m(REGEX, "statuscode", "5.."))),
                Arguments.of("tricky=~~~", List.of(m(REGEX, "tricky", "~~"))),
                Arguments.of("trickier==\\\\=\\=\\\"", List.of(m(EQUAL, "trickier", "=\\=\\=\""))),
                Arguments.of("contains_quote != \"\\\"\" , contains_comma !~ \"foo,bar\" , ",
                        List.of(m(NOT_EQUAL, "contains_quote", "\""), m(NOT_REGEX, "contains_comma", "foo,bar"))),
                Arguments.of("{foo=bar}}", List.of(m(EQUAL, "foo", "bar}"))),
                Arguments.of("{foo=bar}},}", List.of(m(EQUAL, "foo", "bar}}"))),
                Arguments.of("{foo=,bar=}}", List.of(m(EQUAL, "foo", ""), m(EQUAL, "bar", "}"))),
                Arguments.of("{foo=bar\\t}", List.of(m(EQUAL, "foo", "bar\\t"))),
                Arguments.of("{foo=bar\\n}", List.of(m(EQUAL, "foo", "bar\n"))),
                Arguments.of("{foo=bar\\}", List.of(m(EQUAL, "foo", "bar\\"))),
                Arguments.of("{foo=bar\\\\}", List.of(m(EQUAL, "foo", "bar\\"))),
                Arguments.of("{foo=bar\\\"}", List.of(m(EQUAL, "foo", "bar\""))),
                Arguments.of("job=", List.of(m(EQUAL, "job", ""))),
                Arguments.of("{foo=", List.of(m(EQUAL, "foo", ""))),
                Arguments.of("{foo=}b", List.of(m(EQUAL, "foo", "}b"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alertmanagerParseCases")
    void parsesAsAlertmanager(String input, List<Matcher> expected) {
        assertThat(Matcher.parseList(input)).containsExactlyElementsOf(expected);
    }

    /** The error cases of the same {@code TestMatchers}, with Alertmanager's exact messages. */
    static Stream<Arguments> alertmanagerErrorCases() {
        return Stream.of(
                Arguments.of(",", "bad matcher format: "),
                Arguments.of("{,}", "bad matcher format: "),
                Arguments.of("job=\"value", "matcher value contains unescaped double quote: \"value"),
                Arguments.of("job=value\"", "matcher value contains unescaped double quote: value\""),
                Arguments.of("trickier==\\\\=\\=\\\"\"", "matcher value contains unescaped double quote: =\\\\=\\=\\\"\""),
                Arguments.of("contains_unescaped_quote = foo\"bar", "matcher value contains unescaped double quote: foo\"bar"),
                Arguments.of("{invalid-name = \"valid label\"}", "bad matcher format: invalid-name = \"valid label\""),
                Arguments.of("{foo=~\"invalid[regexp\"}", "error parsing regexp: missing closing ]: `[regexp)$`"),
                Arguments.of("\"{foo=\\\"bar\"}", "bad matcher format: \"{foo=\\\"bar\""),
                Arguments.of("\"foo=\\\"bar\"", "bad matcher format: \"foo=\\\"bar\""),
                Arguments.of("\"foo=\\\"bar\\\"\"", "bad matcher format: \"foo=\\\"bar\\\"\""),
                Arguments.of("\"foo=\\\"bar\\\"", "bad matcher format: \"foo=\\\"bar\\\""),
                Arguments.of("\"{foo=\\\"bar\\\"}\"", "bad matcher format: \"{foo=\\\"bar\\\"}\""),
                Arguments.of("\"foo=\"bar\"\"", "bad matcher format: \"foo=\"bar\"\""),
                Arguments.of("{{foo=", "bad matcher format: {foo="));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alertmanagerErrorCases")
    void rejectsAsAlertmanager(String input, String message) {
        assertThatThrownBy(() -> Matcher.parseList(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void regexesAreAnchoredRe2WithoutDotAll() {
        Matcher m = Matcher.parse("service=~\"orders.*\"");
        assertThat(m.matches("orders-db")).isTrue();
        assertThat(m.matches("my-orders")).isFalse();          // anchored at the start
        assertThat(Matcher.parse("a=~\"b|c\"").matches("bc")).isFalse(); // ^(?:b|c)$, not ^b|c$
        assertThat(m.matches("orders\nnext")).isFalse();       // Go's . does not match \n without (?s)
        assertThat(Matcher.parse("a=~\"(?s)x.*\"").matches("x\ny")).isTrue();
        assertThat(Matcher.parse("a!~\"5..\"").matches("500")).isFalse();
        assertThat(Matcher.parse("a!~\"5..\"").matches("404")).isTrue();
    }

    @Test
    void missingLabelMatchesAsEmptyString() {
        Map<String, String> labels = Map.of("alertname", "Down");
        assertThat(Matcher.parse("team=\"\"").matches(labels)).isTrue();
        assertThat(Matcher.parse("team!=\"\"").matches(labels)).isFalse();
        assertThat(Matcher.parse("team=~\".*\"").matches(labels)).isTrue();
        assertThat(Matcher.parse("team!=ops").matches(labels)).isTrue();
        assertThat(Matcher.parse("alertname=Down").matches(labels)).isTrue();
    }

    @Test
    void rendersAsAlertmanager() {
        // pkg/labels/matcher.go String(): name, operator, value quoted with OpenMetrics escapes.
        assertThat(Matcher.parse("foo!=\"a\\\"b\\\\c\\nd\"")).hasToString("foo!=\"a\\\"b\\\\c\\nd\"");
        assertThat(Matcher.format(Matcher.parseList("{b=\"1\",a!~\"x\"}"))).isEqualTo("{b=\"1\",a!~\"x\"}");
    }

    @Test
    void backtrackingPatternsRunInLinearTime() {
        // RE2 has no catastrophic backtracking: (a+)+$ on 'aaaa…b' answers at once.
        Matcher m = Matcher.parse("x=~\"(a+)+\"");
        assertThat(m.matches("a".repeat(5_000) + "b")).isFalse();
    }

    @Test
    void nestedRepetitionsBeyondGosBoundAreRefusedWhereverAMatcherIsMade() {
        // Go's RE2 refuses counts multiplying past 1000; re2j would compile (a{1000}){1000} into a million-instruction
        // program. The bound is in Matcher, so silences, inhibit rules and routes from files get it too.
        String bomb = "x=~\"((a{1000}){1000}){1000}\"";
        assertThatThrownBy(() -> Matcher.parse(bomb)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("error parsing regexp: invalid repeat count: `{1000}`");
        assertThatThrownBy(() -> Matcher.of(REGEX, "x", "a{1001}"))
                .hasMessage("error parsing regexp: invalid repeat count: `{1001}`");
        assertThatThrownBy(() -> Matcher.of(NOT_REGEX, "x", "(x{100}){100}"))
                .hasMessage("error parsing regexp: invalid repeat count: `{100}`");
        assertThatThrownBy(() -> Silence.builder().matchers(bomb)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InhibitRule.builder().sourceMatchers(bomb))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Route.builder().matchers(bomb)).isInstanceOf(IllegalArgumentException.class);
        // Within the bound, and braces that are not a repetition, still compile and match.
        assertThat(Matcher.of(REGEX, "x", "(a{10}[{]){100}").matches("a".repeat(10) + "{")).isFalse();
        assertThat(Matcher.of(REGEX, "x", "(a{10}){100}").matches("a".repeat(1000))).isTrue();
        assertThat(Matcher.of(REGEX, "x", "a{1000}").matches("a".repeat(1000))).isTrue();
        assertThat(Matcher.of(REGEX, "x", "\\{5000}").matches("{5000}")).isTrue();
    }
}
