package io.vigil.servlet;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter changes nothing the client sees: the same Jetty app without the filter, with it, and with it
 * counting streamed bodies (the wrapping variant) answers every case of the contract with the same status,
 * body and headers that matter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FilterTransparencyTest {

    private final List<ScenarioApp> apps = new ArrayList<>();
    private final List<ServletContainer.Running> servers = new ArrayList<>();
    private Http bare;
    private Http filtered;
    private Http counting;

    @BeforeAll
    void start() throws Exception {
        bare = start(null);
        filtered = start(MonitoringFilter.builder(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).build());
        counting = start(MonitoringFilter.builder(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .countStreamedBodies(true).build());
    }

    private Http start(MonitoringFilter filter) throws Exception {
        ScenarioApp app = new ScenarioApp();
        apps.add(app);
        ServletContainer.Running server = new JettyContainer().start(app.servlets(), filter);
        servers.add(server);
        return new Http(server.base());
    }

    @AfterAll
    void stop() throws Exception {
        for (ServletContainer.Running server : servers) {
            server.close();
        }
        apps.forEach(ScenarioApp::close);
    }

    /** Status, body and the headers an app controls, as one comparable string. */
    private static String answer(HttpResponse<String> response) {
        return response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("-") + " "
                + response.headers().firstValue("Location").orElse("-") + " "
                + response.headers().firstValue("Content-Length").orElse("chunked") + "\n"
                + response.body().replaceAll("127\\.0\\.0\\.1:\\d+", "SERVER"); // error pages echo the URL
    }

    private void same(Function<Http, HttpResponse<String>> request) {
        String expected = answer(request.apply(bare));
        assertThat(answer(request.apply(filtered))).isEqualTo(expected);
        assertThat(answer(request.apply(counting))).isEqualTo(expected);
    }

    @Test
    void everyScenarioAnswersTheSame() {
        for (String path : List.of("/hello", "/users/1", "/echo/42/items", "/", "/fail", "/nope/x", "/redirect",
                "/status/401", "/status/403", "/status/429", "/stream", "/stream-writer", "/async/delayed",
                "/async/timeout")) {
            same(http -> http.get(path));
        }
        same(http -> http.send("HEAD", "/hello", HttpRequest.BodyPublishers.noBody()));
        same(http -> http.send("HEAD", "/stream", HttpRequest.BodyPublishers.noBody()));
        same(http -> http.send("POST", "/upload", HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(new byte[5_000]))));
        same(http -> http.send("POST", "/upload", HttpRequest.BodyPublishers.ofByteArray(new byte[777])));
        same(http -> http.get("/hello", "X-Big", "v".repeat(16 * 1024)));
    }

    @Test
    void abuseAnswersTheSame() {
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            String word = MonitoringFilterContract.randomWord(random);
            same(http -> http.get("/echo/" + word));
            same(http -> http.get("/" + word));
            same(http -> http.send("X" + word.toUpperCase(java.util.Locale.ROOT), "/hello",
                    HttpRequest.BodyPublishers.noBody()));
        }
        for (String requestLine : List.of("GET /%zz HTTP/1.1", "GET /a/../../etc/passwd HTTP/1.1",
                "GET /echo/%00 HTTP/1.1", "GET /echo/a%2Fb HTTP/1.1", "GET //// HTTP/1.1",
                "GET /echo/x;jsessionid=abc HTTP/1.1", "GET * HTTP/1.1", "BREW /hello HTTP/1.1")) {
            int expected = Http.rawStatus(bare.raw(requestLine));
            assertThat(Http.rawStatus(filtered.raw(requestLine))).as(requestLine).isEqualTo(expected);
            assertThat(Http.rawStatus(counting.raw(requestLine))).as(requestLine).isEqualTo(expected);
        }
    }
}
