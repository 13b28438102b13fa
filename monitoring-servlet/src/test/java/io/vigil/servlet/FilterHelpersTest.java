package io.vigil.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The filter's small pure helpers, where a container adds nothing. */
class FilterHelpersTest {

    /** A request answering only the URI and context path (a plain proxy; nothing else is called). */
    private static HttpServletRequest request(String contextPath, String uri) {
        return (HttpServletRequest) Proxy.newProxyInstance(FilterHelpersTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getRequestURI":
                            return uri;
                        case "getContextPath":
                            return contextPath;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    @Test
    void exclusionsMatchExactPathsAndSubtreesWithinTheContext() {
        PathExclusions exclusions = PathExclusions.of(List.of("/metrics", "/health/**"));
        assertThat(exclusions.matches(request("", "/metrics"))).isTrue();
        assertThat(exclusions.matches(request("/app", "/app/metrics"))).isTrue();
        assertThat(exclusions.matches(request("", "/metrics/x"))).isFalse();
        assertThat(exclusions.matches(request("", "/metricsx"))).isFalse();
        assertThat(exclusions.matches(request("", "/health"))).isTrue();
        assertThat(exclusions.matches(request("", "/health/live"))).isTrue();
        assertThat(exclusions.matches(request("", "/healthz"))).isFalse();
        assertThat(exclusions.matches(request("/app", "/health"))).isFalse();
        assertThat(PathExclusions.of(List.of()).isEmpty()).isTrue();
    }

    @Test
    void encodedLengthCountsBytesPerCharset() {
        String text = "a\u00e9\u20ac\ud83d\ude00"; // 1 + 2 + 3 + 4 bytes in UTF-8
        assertThat(new EncodedLength("UTF-8").of(text, 0, text.length())).isEqualTo(10);
        assertThat(new EncodedLength("UTF-8").of(text.toCharArray(), 0, text.length())).isEqualTo(10);
        assertThat(new EncodedLength("ISO-8859-1").of(text, 0, 3)).isEqualTo(3);
        assertThat(new EncodedLength(null).of(text, 0, 2)).isEqualTo(2);
        assertThat(new EncodedLength("UTF-16BE").of(text, 0, 2)).isEqualTo(4);
        assertThat(new EncodedLength("Shift_JIS").of("\u3042a", 0, 2)).isEqualTo(3);
        assertThat(new EncodedLength("no-such-charset").of("ab", 0, 2)).isEqualTo(2);
        EncodedLength oneByOne = new EncodedLength("UTF-8");
        long bytes = 0;
        for (char c : text.toCharArray()) {
            bytes += oneByOne.of(c);
        }
        assertThat(bytes).isEqualTo(10);
    }

    @Test
    void contentLengthIsParsedWithoutExceptions() {
        assertThat(RequestRecorder.parseLength("1234")).isEqualTo(1234);
        assertThat(RequestRecorder.parseLength("0")).isZero();
        assertThat(RequestRecorder.parseLength(null)).isEqualTo(-1);
        assertThat(RequestRecorder.parseLength("")).isEqualTo(-1);
        assertThat(RequestRecorder.parseLength("-5")).isEqualTo(-1);
        assertThat(RequestRecorder.parseLength("12a")).isEqualTo(-1);
        assertThat(RequestRecorder.parseLength("9".repeat(30))).isEqualTo(-1);
    }

    @Test
    void exceptionTagIsTheSimpleNameOfTheRootCause() {
        assertThat(ExceptionNames.of(new IllegalStateException())).isEqualTo("IllegalStateException");
        assertThat(ExceptionNames.of(new ServletException(new ArithmeticException()))).isEqualTo("ArithmeticException");
        assertThat(ExceptionNames.of(new ServletException("no cause"))).isEqualTo("ServletException");
        assertThat(ExceptionNames.of(new RuntimeException() { private static final long serialVersionUID = 1L; }))
                .startsWith("io.vigil.servlet.FilterHelpersTest$");
    }

    @Test
    void asyncErrorsArePeeledOnlyOfContainerWrappers() {
        IllegalStateException app = new IllegalStateException();
        assertThat(ExceptionNames.unwrapContainer(new RuntimeException(new ServletException(app)))).isSameAs(app);
        IllegalArgumentException own = new IllegalArgumentException(app); // the app's own wrapping stays
        assertThat(ExceptionNames.unwrapContainer(own)).isSameAs(own);
        RuntimeException bare = new RuntimeException();
        assertThat(ExceptionNames.unwrapContainer(bare)).isSameAs(bare);
    }

    @Test
    void gzipIsAcceptedOnlyWithPositiveQuality() {
        assertThat(MetricsServlet.acceptsGzip("gzip")).isTrue();
        assertThat(MetricsServlet.acceptsGzip("deflate, GZIP;q=0.5")).isTrue();
        assertThat(MetricsServlet.acceptsGzip("*")).isTrue();
        assertThat(MetricsServlet.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(MetricsServlet.acceptsGzip("gzip;q=abc")).isFalse();
        assertThat(MetricsServlet.acceptsGzip("identity")).isFalse();
        assertThat(MetricsServlet.acceptsGzip(null)).isFalse();
    }
}
