package io.vigil.servlet;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.normalize.HttpMethods;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter's behaviour, written once and run against every container (see the subclasses): real server,
 * real HTTP over loopback, assertions on the exact series of a real Prometheus scrape.
 */
abstract class MonitoringFilterContract {

    static final String REQUESTS = "http_server_requests_seconds_count";

    abstract ServletContainer container();

    /** Requests per client thread in the concurrency test (16 threads). */
    int requestsPerThread() {
        return 2_000;
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScenarioApp app = new ScenarioApp();
    private ServletContainer.Running server;
    private Http http;

    void start(UnaryOperator<MonitoringFilter.Builder> options) throws Exception {
        MonitoringFilter filter = options.apply(MonitoringFilter.builder(registry).activeRequests(true)
                .principal(request -> request.getHeader("X-User"))).build();
        server = container().start(app.servlets(), filter);
        http = new Http(server.base());
    }

    void start() throws Exception {
        start(UnaryOperator.identity());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        app.close();
    }

    PrometheusScrape scrape() {
        return PrometheusScrape.parse(registry.scrape());
    }

    /**
     * Waits until {@code total} requests are recorded. A container may flush a complete response (its
     * Content-Length reached, a redirect sent) before the filter chain has returned, so the client can see
     * the answer a moment before the filter records it.
     */
    PrometheusScrape awaitRecorded(double total) {
        org.awaitility.Awaitility.await().untilAsserted(() ->
                assertThat(scrape().sum(REQUESTS)).as(() -> summary(scrape())).isEqualTo(total));
        return scrape();
    }

    private static String summary(PrometheusScrape scrape) {
        java.util.Map<String, Double> byKey = new java.util.TreeMap<>();
        for (PrometheusScrape.Sample sample : scrape.samples(REQUESTS)) {
            java.util.Map<String, String> labels = sample.labels();
            String uri = labels.get("uri").startsWith("/echo/") ? "/echo/*" : labels.get("uri");
            byKey.merge(labels.get("method") + " " + uri + " " + labels.get("status") + " "
                    + labels.get("exception"), sample.value(), Double::sum);
        }
        return byKey.toString();
    }

    double requests(String method, String uri, String status, String outcome, String exception) {
        return scrape().value(REQUESTS, "method", method, "uri", uri, "status", status, "outcome", outcome,
                "exception", exception);
    }

    @Test
    void synchronousRequestsAreCountedWithSpringBootTags() throws Exception {
        start();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = http.get("/hello");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello");
        }
        PrometheusScrape scrape = awaitRecorded(3);
        assertThat(scrape.value(REQUESTS, "method", "GET", "uri", "/hello", "status", "200", "outcome", "SUCCESS",
                "exception", "none")).isEqualTo(3);
        assertThat(scrape.series(REQUESTS)).hasSize(1);
        assertThat(scrape.has("http_server_requests_seconds_bucket", "uri", "/hello", "le", "+Inf")).isTrue();
        assertThat(scrape.value("http_server_response_size_bytes_count", "method", "GET", "uri", "/hello"))
                .isEqualTo(3);
        assertThat(scrape.value("http_server_response_size_bytes_sum", "method", "GET", "uri", "/hello"))
                .isEqualTo(15);
        // GETs carry no body: no request size is recorded for them
        assertThat(scrape.sum("http_server_request_size_bytes_count", "method", "GET", "uri", "/hello")).isZero();
        // in flight: keyed by the servlet mapping, back to zero once answered
        assertThat(scrape.value("http_server_requests_active_seconds_count", "method", "GET",
                "uri", "/hello")).isEqualTo(0);
    }

    @Test
    void uriIsTheRouteTemplateElseTheMappingPatternAndRootForSlash() throws Exception {
        start();
        http.get("/users/1");
        http.get("/users/2");
        http.get("/users/alice");
        http.get("/echo/123/items");
        http.get("/echo/456/items");
        http.get("/echo/550e8400-e29b-41d4-a716-446655440000/items");
        assertThat(http.get("/").body()).isEqualTo("root");
        awaitRecorded(7);
        assertThat(requests("GET", "/users/{id}", "200", "SUCCESS", "none")).isEqualTo(3);
        // a prefix mapping without a route attribute: the pattern the deployment declared, never the raw path
        assertThat(requests("GET", "/echo/*", "200", "SUCCESS", "none")).isEqualTo(3);
        assertThat(requests("GET", "root", "200", "SUCCESS", "none")).isEqualTo(1);
        assertThat(scrape().labelValues(REQUESTS, "uri")).containsExactlyInAnyOrder("/users/{id}", "/echo/*", "root");
    }

    @Test
    void pathTemplatesNormalizeThePathsOfTheMappingsTheApplicationDeclares() throws Exception {
        start(builder -> builder.pathTemplates("/echo/*"));
        http.get("/echo/123/items");
        http.get("/echo/456/items");
        http.get("/echo/550e8400-e29b-41d4-a716-446655440000/items");
        http.get("/status/200"); // not opted in: the pattern
        assertThat(http.send("PUT", "/echo/GARB/./x/../y", HttpRequest.BodyPublishers.noBody()).statusCode())
                .isEqualTo(405);
        awaitRecorded(5);
        assertThat(requests("GET", "/echo/{id}/items", "200", "SUCCESS", "none")).isEqualTo(3);
        assertThat(requests("GET", "/status/*", "200", "SUCCESS", "none")).isEqualTo(1);
        // a client error on an opted-in mapping is still the pattern: the client chose that path
        assertThat(requests("PUT", "/echo/*", "405", "CLIENT_ERROR", "none")).isEqualTo(1);
        assertThat(scrape().labelValues(REQUESTS, "uri")).containsExactlyInAnyOrder("/echo/{id}/items", "/status/*",
                "/echo/*");
    }

    @Test
    void thrownExceptionIsRecordedAs500AndRethrownUnchanged() throws Exception {
        start();
        HttpResponse<String> response = http.get("/fail");
        assertThat(response.statusCode()).isEqualTo(500);
        awaitRecorded(1);
        assertThat(requests("GET", "/fail", "500", "SERVER_ERROR", "IllegalStateException")).isEqualTo(1);
        assertThat(scrape().sum("vigil_internal_errors_total")).isZero();
    }

    @Test
    void notFoundAndRedirectsCollapseToOneSeriesEach() throws Exception {
        start();
        assertThat(http.get("/nope/a").statusCode()).isEqualTo(404);
        assertThat(http.get("/nope/b/c").statusCode()).isEqualTo(404);
        assertThat(http.get("/redirect").statusCode()).isEqualTo(302);
        awaitRecorded(3);
        assertThat(requests("GET", "NOT_FOUND", "404", "CLIENT_ERROR", "none")).isEqualTo(2);
        assertThat(requests("GET", "REDIRECTION", "302", "REDIRECTION", "none")).isEqualTo(1);
    }

    @Test
    void authFailuresAndRateLimitingAreCounted() throws Exception {
        start();
        assertThat(http.get("/status/401").statusCode()).isEqualTo(401);
        assertThat(http.get("/status/403").statusCode()).isEqualTo(403);
        assertThat(http.get("/status/403").statusCode()).isEqualTo(403);
        assertThat(http.get("/status/429").statusCode()).isEqualTo(429);
        PrometheusScrape scrape = awaitRecorded(4);
        assertThat(scrape.value("http_server_auth_failures_total", "uri", "/status/*", "status", "401"))
                .isEqualTo(1);
        assertThat(scrape.value("http_server_auth_failures_total", "uri", "/status/*", "status", "403"))
                .isEqualTo(2);
        assertThat(scrape.value("http_server_rate_limited_total", "uri", "/status/*")).isEqualTo(1);
        assertThat(requests("GET", "/status/*", "429", "CLIENT_ERROR", "none")).isEqualTo(1);
    }

    @Test
    void headIsItsOwnMethod() throws Exception {
        start();
        HttpResponse<String> response = http.send("HEAD", "/hello", HttpRequest.BodyPublishers.noBody());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        awaitRecorded(1);
        assertThat(requests("HEAD", "/hello", "200", "SUCCESS", "none")).isEqualTo(1);
    }

    @Test
    void streamedResponseHasNoSizeUnlessCountingIsOn() throws Exception {
        start();
        assertThat(http.get("/stream").body()).hasSize(ScenarioApp.STREAMED_BYTES);
        PrometheusScrape scrape = awaitRecorded(1);
        assertThat(requests("GET", "/stream", "200", "SUCCESS", "none")).isEqualTo(1);
        assertThat(scrape.has("http_server_response_size_bytes_count", "uri", "/stream")).isFalse();
    }

    @Test
    void countingMeasuresStreamedBodiesBothWays() throws Exception {
        start(builder -> builder.countStreamedBodies(true));
        assertThat(http.get("/stream").body()).hasSize(ScenarioApp.STREAMED_BYTES);
        assertThat(http.get("/stream-writer").body().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .hasSize(10 * 11);
        byte[] upload = new byte[5_000];
        HttpResponse<String> response = http.send("POST", "/upload", HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(upload))); // no length known: sent chunked
        assertThat(response.body()).isEqualTo("read 5000");
        assertThat(http.get("/async/delayed").body()).isEqualTo("async");
        PrometheusScrape scrape = awaitRecorded(4);
        assertThat(scrape.value("http_server_response_size_bytes_sum", "uri", "/async/delayed")).isEqualTo(5);
        assertThat(scrape.value("http_server_response_size_bytes_sum", "uri", "/stream"))
                .isEqualTo(ScenarioApp.STREAMED_BYTES);
        assertThat(scrape.value("http_server_response_size_bytes_sum", "uri", "/stream-writer"))
                .isEqualTo(10 * 11 + 10 * (System.lineSeparator().length() - 1));
        assertThat(scrape.value("http_server_request_size_bytes_sum", "method", "POST", "uri", "/upload"))
                .isEqualTo(5_000);
        assertThat(scrape.value("http_server_response_size_bytes_sum", "method", "POST", "uri", "/upload"))
                .isEqualTo("read 5000".length());
    }

    @Test
    void asyncRequestIsRecordedOnceWhenItCompletes() throws Exception {
        start();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = http.get("/async/delayed");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("async");
        }
        // onComplete runs after the response is flushed; the client may see the bytes slightly earlier
        org.awaitility.Awaitility.await().untilAsserted(() ->
                assertThat(scrape().sum(REQUESTS, "uri", "/async/delayed")).isEqualTo(2));
        assertThat(requests("GET", "/async/delayed", "200", "SUCCESS", "none")).isEqualTo(2);
        assertThat(scrape().value("http_server_requests_active_seconds_count", "method", "GET",
                "uri", "/async/delayed")).isEqualTo(0);
    }

    @Test
    void asyncTimeoutIsRecordedOnceAsATimeout() throws Exception {
        start();
        HttpResponse<String> response = http.get("/async/timeout");
        assertThat(response.statusCode()).isEqualTo(500);
        org.awaitility.Awaitility.await().untilAsserted(() ->
                assertThat(scrape().sum(REQUESTS, "uri", "/async/timeout")).isEqualTo(1));
        assertThat(requests("GET", "/async/timeout", "500", "SERVER_ERROR", RequestRecorder.ASYNC_TIMEOUT))
                .isEqualTo(1);
    }

    @Test
    void asyncErrorIsRecordedOnceWithTheException() throws Exception {
        start();
        HttpResponse<String> response = http.get("/async/error");
        assertThat(response.statusCode()).isEqualTo(500);
        PrometheusScrape scrape = awaitRecorded(1);
        assertThat(scrape.series(REQUESTS)).hasSize(1);
        assertThat(scrape.sum(REQUESTS, "status", "500", "outcome", "SERVER_ERROR",
                "exception", "IllegalStateException")).isEqualTo(1);
    }

    @Test
    void excludedPathsAreNotMeasured() throws Exception {
        start(builder -> builder.exclude("/hello", "/users/**"));
        assertThat(http.get("/hello").statusCode()).isEqualTo(200);
        assertThat(http.get("/users/7").statusCode()).isEqualTo(200);
        assertThat(http.get("/echo/x").statusCode()).isEqualTo(200);
        awaitRecorded(1);
        assertThat(scrape().labelValues(REQUESTS, "uri")).containsExactly("/echo/*");
    }

    @Test
    void activeUsersComeFromThePrincipal() throws Exception {
        start();
        for (String user : List.of("alice", "bob", "alice", "carol")) {
            http.get("/hello", "X-User", user);
        }
        http.get("/hello");
        PrometheusScrape scrape = awaitRecorded(5);
        assertThat(scrape.value("users_active", "window", "5m")).isEqualTo(3);
        assertThat(scrape.comments()).noneMatch(line -> line.contains("alice"));
    }

    @Test
    void randomPathsAndInventedMethodsLeaveTheSeriesBounded() throws Exception {
        start();
        // Raw keep-alive connections: any method token, and no client retries, so counts stay exact.
        int paths = 10_000;
        int threads = 4;
        runConcurrently(threads, 1, (thread, ignored) -> {
            try (RawConnection connection = new RawConnection(server.base())) {
                for (int i = 0; i < paths / threads; i++) {
                    String word = randomWord(random(thread, i));
                    // half reach a servlet that answers 200 for anything, half are 404s
                    int status = connection.send("GET", i % 2 == 0 ? "/echo/" + word : "/" + word);
                    assertThat(status).isIn(200, 404);
                }
            }
        });
        int methods = 1_000;
        runConcurrently(threads, 1, (thread, ignored) -> {
            try (RawConnection connection = new RawConnection(server.base())) {
                for (int i = 0; i < methods / threads; i++) {
                    String method = "X" + randomWord(random(thread, -i)).toUpperCase(java.util.Locale.ROOT);
                    assertThat(connection.send(method, "/hello")).isEqualTo(501); // HttpServlet: unknown method
                }
            }
        });
        PrometheusScrape scrape = awaitRecorded(paths + methods);
        // Junk paths under a prefix mapping are the mapping, elsewhere NOT_FOUND: nothing to fill a cap with.
        assertThat(scrape.labelValues(REQUESTS, "uri")).containsExactlyInAnyOrder("/echo/*", "NOT_FOUND", "/hello");
        assertThat(scrape.sum(REQUESTS, "method", "GET")).isEqualTo(paths);
        assertThat(scrape.sum("vigil_cardinality_overflow_total")).isZero();
        assertThat(scrape.labelValues(REQUESTS, "method")).containsExactlyInAnyOrder("GET", HttpMethods.UNKNOWN);
        // an invented method is the client's error (501 on the wire), never a server error
        assertThat(requests(HttpMethods.UNKNOWN, "/hello", "501", "CLIENT_ERROR", "none")).isEqualTo(methods);
        assertThat(scrape.sum(REQUESTS, "outcome", "SERVER_ERROR")).isZero();
        assertThat(scrape.series("http_server_requests_active_seconds_count").size()).isLessThan(20);
    }

    @Test
    void hugeHeadersAndMalformedUrisBreakNeitherRequestsNorMetrics() throws Exception {
        start();
        String big = "v".repeat(16 * 1024);
        HttpResponse<String> response = http.get("/hello", "X-Big", big);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello");
        List<String> malformed = List.of("GET /%zz HTTP/1.1", "GET /echo/%zz HTTP/1.1", "GET /a/../../etc/passwd HTTP/1.1",
                "GET /echo/%00 HTTP/1.1", "GET /echo/a%2Fb HTTP/1.1", "GET /echo/%C0%AF HTTP/1.1",
                "GET //// HTTP/1.1", "GET /echo/x;jsessionid=abc HTTP/1.1", "GET /echo/\u00e9t\u00e9 HTTP/1.1",
                "GET /echo/" + "a".repeat(2000) + " HTTP/1.1", "GET * HTTP/1.1", "GET /echo/<script> HTTP/1.1");
        for (String requestLine : malformed) {
            int status = Http.rawStatus(http.raw(requestLine));
            assertThat(status).as(requestLine).isBetween(200, 599);
        }
        assertThat(http.get("/hello").statusCode()).isEqualTo(200);
        org.awaitility.Awaitility.await().untilAsserted(() ->
                assertThat(requests("GET", "/hello", "200", "SUCCESS", "none")).isEqualTo(2));
        PrometheusScrape scrape = scrape();
        for (String uri : scrape.labelValues(REQUESTS, "uri")) {
            assertThat(uri).as("uri tag").doesNotContain("%", "..", ";", "<", "passwd").hasSizeLessThan(200);
        }
        assertThat(scrape.sum("vigil_internal_errors_total")).isZero();
    }

    @Test
    void concurrentRequestsAreCountedExactly() throws Exception {
        start();
        int threads = 16;
        int perThread = requestsPerThread();
        runConcurrently(threads, perThread, (thread, i) -> {
            String path = switch (i % 4) {
                case 0 -> "/hello";
                case 1 -> "/users/" + i;
                case 2 -> "/status/403";
                default -> "/nope/" + thread;
            };
            http.get(path);
        });
        // java.net.http.HttpClient retries an idempotent GET when a pooled connection fails under it, so on
        // a rare run the server handles a request more than the client sent. The filter must match what the
        // application handled exactly; that is what was sent, plus any such retry.
        long sent = (long) threads * perThread;
        long handled = app.handled();
        long retried = handled - sent;
        assertThat(retried).isBetween(0L, 16L);
        int each = threads * perThread / 4;
        PrometheusScrape scrape = awaitRecorded(handled);
        double forbidden = requests("GET", "/status/*", "403", "CLIENT_ERROR", "none");
        assertThat(requests("GET", "/hello", "200", "SUCCESS", "none")).isBetween((double) each, (double) (each + retried));
        assertThat(requests("GET", "/users/{id}", "200", "SUCCESS", "none")).isBetween((double) each, (double) (each + retried));
        assertThat(forbidden).isBetween((double) each, (double) (each + retried));
        assertThat(requests("GET", "NOT_FOUND", "404", "CLIENT_ERROR", "none")).isBetween((double) each, (double) (each + retried));
        assertThat(scrape.value("http_server_auth_failures_total", "uri", "/status/*", "status", "403"))
                .isEqualTo(forbidden);
        assertThat(scrape.sum("http_server_response_size_bytes_count")).isEqualTo(handled);
        assertThat(scrape.sum("http_server_requests_active_seconds_count")).isZero();
    }

    interface Step {
        void run(int thread, int i) throws Exception;
    }

    static void runConcurrently(int threads, int perThread, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        step.run(thread, i);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static Random random(int thread, int i) {
        return new Random(thread * 1_000_003L + i);
    }

    static String randomWord(Random random) {
        char[] word = new char[6 + random.nextInt(6)];
        for (int i = 0; i < word.length; i++) {
            word[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(word);
    }
}
