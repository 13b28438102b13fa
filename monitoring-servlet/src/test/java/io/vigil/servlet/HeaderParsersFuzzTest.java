package io.vigil.servlet;

import io.vigil.core.testkit.HostileInputs;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Every parser of client input in this module — {@code Accept-Encoding}, {@code Authorization},
 * {@code Content-Length}, request paths for exclusions — on a generated corpus of 10,000+ hostile strings
 * (deterministic seed): an answer, never an exception.
 */
class HeaderParsersFuzzTest {

    private static final List<String> CORPUS = HostileInputs.anyStrings(20261202L, 10_000);

    @Test
    void acceptEncodingIsParsedByTheGrammarAndNeverThrows() {
        assertThat(MetricsServlet.acceptsGzip(";")).isFalse();
        assertThat(MetricsServlet.acceptsGzip(",")).isFalse();
        assertThat(MetricsServlet.acceptsGzip("gzip;q=")).isFalse();
        assertThat(MetricsServlet.acceptsGzip("gzip;q=0.000")).isFalse();
        assertThat(MetricsServlet.acceptsGzip("gzip;q=0.001")).isTrue();
        assertThat(MetricsServlet.acceptsGzip(";, GZIP")).isTrue();
        assertThat(MetricsServlet.acceptsGzip("br;q=1, *;q=0.5")).isTrue();
        assertThat(MetricsServlet.acceptsGzip("gzip;q=1.5")).isFalse();
        int accepted = 0;
        for (String value : CORPUS) {
            boolean[] answer = new boolean[1];
            assertThatCode(() -> answer[0] = MetricsServlet.acceptsGzip(value)).as(value).doesNotThrowAnyException();
            if (answer[0]) {
                accepted++;
                assertThat(value.toLowerCase(java.util.Locale.ROOT)).as(value).containsAnyOf("gzip", "*");
            }
        }
        assertThat(accepted).isPositive();
    }

    @Test
    void authorizationMatchesOnlyTheSecretAndNeverThrows() {
        Credentials bearer = Credentials.bearer("t0ken");
        Credentials basic = Credentials.basic("prometheus", "pa55");
        assertThat(bearer.matches("Bearer t0ken")).isTrue();
        assertThat(basic.matches("Basic cHJvbWV0aGV1czpwYTU1")).isTrue();
        for (String value : CORPUS) {
            assertThatCode(() -> {
                assertThat(bearer.matches(value)).as(value).isFalse();
                assertThat(basic.matches(value)).as(value).isFalse();
                assertThat(bearer.matches("Bearer " + value)).as(value).isEqualTo(value.strip().equals("t0ken"));
                assertThat(basic.matches("Basic " + value)).as(value).isFalse();
            }).as(value).doesNotThrowAnyException();
        }
    }

    @Test
    void contentLengthIsANonNegativeDecimalOrAbsent() {
        assertThat(RequestRecorder.parseLength("5")).isEqualTo(5);
        assertThat(RequestRecorder.parseLength("99999999999999999999")).isEqualTo(-1);
        assertThat(RequestRecorder.parseLength("-1")).isEqualTo(-1);
        assertThat(RequestRecorder.parseLength(" 5")).isEqualTo(-1);
        for (String value : CORPUS) {
            long parsed = RequestRecorder.parseLength(value);
            boolean decimal = !value.isEmpty() && value.length() <= 18 && value.chars().allMatch(c -> c >= '0' && c <= '9');
            assertThat(parsed).as(value).isEqualTo(decimal ? Long.parseLong(value) : -1);
        }
    }

    @Test
    void exclusionsSurviveAnyPathAndContextPath() {
        PathExclusions exclusions = PathExclusions.of(List.of("/metrics", "/health/**"));
        List<String> paths = HostileInputs.paths(20261202L, 3_000, false);
        for (String path : paths) {
            for (String context : List.of("", "/app", path)) {
                assertThatCode(() -> exclusions.matches(request(context, path))).as("%s in %s", path, context)
                        .doesNotThrowAnyException();
            }
        }
        for (String value : CORPUS) {
            assertThatCode(() -> exclusions.matches(request("/app", value))).as(value).doesNotThrowAnyException();
        }
    }

    private static HttpServletRequest request(String contextPath, String uri) {
        return (HttpServletRequest) Proxy.newProxyInstance(HeaderParsersFuzzTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRequestURI" -> uri;
                    case "getContextPath" -> contextPath;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
