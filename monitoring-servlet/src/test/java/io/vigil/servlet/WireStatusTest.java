package io.vigil.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link WireStatus} reads from the containers' own exception types (both are on the test class path).
 * Jetty 12.1 deprecates {@code BadMessageException} for removal but still throws it from its form parser.
 */
@SuppressWarnings("removal")
class WireStatusTest {

    @Test
    void containerBadRequestExceptionsAreTheirCode() {
        assertThat(WireStatus.of(new org.eclipse.jetty.http.BadMessageException("Unable to parse form content"))).isEqualTo(400);
        assertThat(WireStatus.of(new org.eclipse.jetty.http.BadMessageException(413, "Form too large"))).isEqualTo(413);
        assertThat(WireStatus.of(new InvalidParameterException("too many", 400))).isEqualTo(400);
        assertThat(WireStatus.of(new org.apache.coyote.BadRequestException("bad chunk"))).isEqualTo(400);
        assertThat(WireStatus.of(new InvalidParameterException("not an error code", 200))).isEqualTo(500);
        // wrapped by the application or a framework
        assertThat(WireStatus.of(new ServletException(new RuntimeException(new org.eclipse.jetty.http.BadMessageException(431)))))
                .isEqualTo(431);
        assertThat(WireStatus.of(new UnavailableException("maintenance"))).isEqualTo(503);
    }

    @Test
    void everythingElseIs500() {
        assertThat(WireStatus.of(new IllegalStateException("boom"))).isEqualTo(500);
        // an application exception with a getCode() of its own is not read
        assertThat(WireStatus.of(new CodedException())).isEqualTo(500);
        Throwable cycle = new RuntimeException();
        assertThat(WireStatus.of(new RuntimeException(cycle))).isEqualTo(500);
    }

    static final class CodedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public int getCode() {
            return 404;
        }
    }
}
