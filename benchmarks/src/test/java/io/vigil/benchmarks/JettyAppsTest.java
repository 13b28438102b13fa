package io.vigil.benchmarks;

import io.vigil.benchmarks.JettyApps.App;
import io.vigil.benchmarks.JettyApps.Variant;
import org.eclipse.jetty.http.HttpTester;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every variant serves hello and its instrumentation counts exactly what it was sent, and {@link App#verify}
 * fails when it does not: the check that keeps a broken peer from being measured as a cheap one.
 */
class JettyAppsTest {

    private static final String GET_HELLO = "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n";

    @ParameterizedTest
    @EnumSource(Variant.class)
    void countsEveryRequestOverTheLocalConnector(Variant variant) throws Exception {
        try (App app = JettyApps.start(variant, JettyApps.local())) {
            for (int i = 0; i < 3; i++) {
                HttpTester.Response response = HttpTester.parseResponse(app.localConnector().getResponse(GET_HELLO));
                assertThat(response.getStatus()).isEqualTo(200);
                assertThat(response.getContent()).isEqualTo("hello");
            }
            assertThat(app.verify()).isEqualTo(3);
            assertThat(app.counted()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void localClientRequestsAreHandledAndRecordedBeforeItReturns(Variant variant) throws Exception {
        try (App app = JettyApps.start(variant, JettyApps.local());
                JettyApps.LocalClient client = app.localClient()) {
            for (int i = 1; i <= 3; i++) {
                assertThat(client.hello()).isEqualTo(200);
                assertThat(client.lastResponse()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nhello");
                // handled on this thread: served and recorded already, no waiting
                assertThat(app.served()).isEqualTo(i);
                assertThat(app.counted()).isEqualTo(i);
            }
            assertThat(app.verify(3, 0, TimeUnit.SECONDS)).isEqualTo(3);
            assertThatThrownBy(() -> app.verify(4, 0, TimeUnit.SECONDS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("served 3 requests, 4 were sent");
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void countsEveryRequestOverLoopback(Variant variant) throws Exception {
        try (App app = JettyApps.start(variant, JettyApps.loopback(0))) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello");
            assertThat(app.verify()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Variant.class, names = "bare", mode = EnumSource.Mode.EXCLUDE)
    void verifyFailsWhenTheInstrumentationMissedRequests(Variant variant) throws Exception {
        try (App app = JettyApps.start(variant, JettyApps.local())) {
            app.localConnector().getResponse(GET_HELLO);
            app.verify();
            app.registry().clear(); // as if the instrumentation had dropped what it recorded
            assertThatThrownBy(() -> app.verify(50, TimeUnit.MILLISECONDS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(variant + " counted 0 requests of the 1");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Variant.class, names = "bare", mode = EnumSource.Mode.EXCLUDE)
    void verifyFailsWhenTheInstrumentationCountedMoreThanWasServed(Variant variant) throws Exception {
        try (App app = JettyApps.start(variant, JettyApps.local())) {
            app.localConnector().getResponse(GET_HELLO);
            // Not served by the hello servlet (404), but seen by the instrumentation.
            app.localConnector().getResponse("GET /elsewhere HTTP/1.1\r\nHost: localhost\r\n\r\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (app.counted() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(1); // the record may land just after the response was read
            }
            assertThatThrownBy(() -> app.verify(2, TimeUnit.SECONDS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(variant + " counted 2 requests of the 1");
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void verifyFailsWhenNothingWasServed(Variant variant) throws Exception {
        try (App app = JettyApps.start(variant, JettyApps.local())) {
            assertThatThrownBy(() -> app.verify(50, TimeUnit.MILLISECONDS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("served no request");
        }
    }
}
