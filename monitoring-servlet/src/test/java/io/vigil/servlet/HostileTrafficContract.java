package io.vigil.servlet;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.cardinality.CardinalityLimits;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.normalize.HttpMethods;
import io.vigil.core.testkit.HostileInputs;
import io.vigil.core.testkit.PrometheusScrape;
import jakarta.servlet.http.HttpServlet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static io.vigil.servlet.MonitoringFilterContract.randomWord;
import static io.vigil.servlet.MonitoringFilterContract.random;
import static io.vigil.servlet.MonitoringFilterContract.runConcurrently;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, as an attacker would do it, on every container (see the subclasses): real server, raw HTTP over
 * loopback, and assertions on the real scrape afterwards. One test per promise: the endpoints survive any
 * header, declared routes keep their series and the scrape its size whatever paths and methods clients invent,
 * no raw path text becomes a label, clients cannot move the 5xx count, and TRACE echoes nothing.
 */
abstract class HostileTrafficContract {

    static final String REQUESTS = "http_server_requests_seconds_count";
    static final String TOKEN = "s3cr3t-scrape-token";
    static final long SEED = 20261202L;

    abstract ServletContainer container();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScenarioApp app = new ScenarioApp();
    private ServletContainer.Running server;
    private Http http;

    void start(UnaryOperator<MonitoringFilter.Builder> options) throws Exception {
        Map<String, HttpServlet> servlets = new LinkedHashMap<>(app.servlets());
        servlets.put("/metrics", MetricsServlet.builder(registry).build());
        servlets.put("/secure-metrics", MetricsServlet.builder(registry).bearerToken(TOKEN).build());
        servlets.put("/health/*", HealthServlet.builder(new HealthServletTest.StubHealth())
                .showDetails(HealthServlet.ShowDetails.WHEN_AUTHORIZED).detailsToken(TOKEN).build());
        MonitoringFilter filter = options.apply(MonitoringFilter.builder(registry)
                .exclude("/metrics", "/secure-metrics", "/health/**")).build();
        server = container().start(servlets, filter);
        http = new Http(server.base());
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

    PrometheusScrape awaitRecorded(double total) {
        org.awaitility.Awaitility.await().untilAsserted(() ->
                assertThat(scrape().sum(REQUESTS)).isEqualTo(total));
        return scrape();
    }

    // ---- 1. every header parser survives any input ----

    @Test
    void everyFuzzedHeaderIsAnsweredAndNothingEscapesVigil() throws Exception {
        start(UnaryOperator.identity());
        List<String> corpus = HostileInputs.headerValues(SEED, 1_000);
        Map<Integer, Integer> acceptStatuses = new TreeMap<>();
        try (RawConnection connection = new RawConnection(server.base())) {
            for (String value : corpus) {
                int status = connection.send("GET", "/metrics", "Accept: " + value);
                acceptStatuses.merge(status, 1, Integer::sum);
                assertThat(status).as("Accept: %s", value).isIn(200, 406);
                if (status == 200) {
                    assertThat(connection.lastBody()).as("Accept: %s", value).contains("vigil_");
                }
                assertThat(connection.send("GET", "/metrics", "Accept-Encoding: " + value, "Accept: " + value))
                        .as("Accept-Encoding: %s", value).isEqualTo(200);
                assertThat(connection.send("GET", "/secure-metrics", "Authorization: " + value))
                        .as("Authorization: %s", value).isEqualTo(401);
                int health = connection.send("GET", "/health/ready", "Authorization: " + value);
                assertThat(health).as("health, Authorization: %s", value).isEqualTo(503);
                assertThat(connection.lastBody()).as("no details without the token").isEqualTo("{\"status\":\"DOWN\"}");
            }
            // and with the right credentials
            assertThat(connection.send("GET", "/secure-metrics", "Authorization: Bearer " + TOKEN)).isEqualTo(200);
            for (String path : HostileInputs.paths(SEED, 500, true)) {
                int status = connection.send("GET", "/health" + path);
                assertThat(status).as("/health%s", path).isIn(200, 400, 404, 503);
                if (status >= 400) {
                    connection.reset(); // a container may close after a 400; start afresh
                }
            }
        }
        assertThat(acceptStatuses).containsOnlyKeys(200);
        assertThat(acceptStatuses.get(200)).isEqualTo(corpus.size());
        PrometheusScrape scrape = scrape();
        // handled as absent/invalid, not as failures: nothing to count
        assertThat(scrape.sum("vigil_internal_errors_total")).isZero();
        assertThat(scrape.series(REQUESTS)).isEmpty(); // every request above was to an excluded endpoint
    }

    // ---- 2 and 3. trusted routes and the scrape's size survive 10,000 junk paths and 1,000 invented methods ----

    /** What the service answers under normal traffic; returns how many requests it sent. */
    private int normalTraffic() {
        int sent = 0;
        for (String path : List.of("/hello", "/hello", "/hello", "/users/1", "/users/alice", "/fail", "/redirect",
                "/status/403", "/status/429", "/echo/abc", "/nope", "/async/delayed", "/", "/stream")) {
            http.get(path);
            sent++;
        }
        http.send("HEAD", "/hello", HttpRequest.BodyPublishers.noBody());
        http.send("POST", "/upload", HttpRequest.BodyPublishers.ofString("payload"));
        http.send("POST", "/form", HttpRequest.BodyPublishers.ofString("item=book"),
                "Content-Type", "application/x-www-form-urlencoded");
        return sent + 3;
    }

    private static Map<Map<String, String>, Double> series(PrometheusScrape scrape) {
        Map<Map<String, String>, Double> byLabels = new HashMap<>();
        for (PrometheusScrape.Sample sample : scrape.samples(REQUESTS)) {
            byLabels.put(sample.labels(), sample.value());
        }
        return byLabels;
    }

    private byte[] scrapeOverHttp() {
        HttpResponse<byte[]> response = http.getBytes("/metrics", "Accept",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static int sampleLines(byte[] scrape) {
        int lines = 0;
        for (String line : new String(scrape, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                lines++;
            }
        }
        return lines;
    }

    @Test
    void junkPathsAndInventedMethodsLeaveDeclaredRoutesTheScrapeAndThe5xxCountAlone() throws Exception {
        start(UnaryOperator.identity());
        int normal = normalTraffic();
        PrometheusScrape before = awaitRecorded(normal);
        Map<Map<String, String>, Double> normalSeries = series(before);
        byte[] normalScrape = scrapeOverHttp();
        double serverErrors = before.sum(REQUESTS, "outcome", "SERVER_ERROR");
        assertThat(serverErrors).isEqualTo(1); // the application's own /fail

        int threads = 4;
        int junkPaths = 10_000;
        List<String> hostile = HostileInputs.paths(SEED, 500, true);
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        runConcurrently(threads, 1, (thread, ignored) -> {
            try (RawConnection connection = new RawConnection(server.base())) {
                for (int i = 0; i < junkPaths / threads; i++) {
                    String word = randomWord(random(thread, i));
                    int status;
                    try {
                        status = switch (i % 5) {
                            case 0 -> connection.send("GET", "/poison" + word);                 // 404
                            case 1 -> connection.send("GET", "/echo/" + word);                  // 200, prefix mapping
                            case 2 -> connection.send("PUT", "/GARB" + word + "/./x/../y");     // 405, default servlet
                            case 3 -> connection.send("DELETE", "/echo/" + word);               // 405, prefix mapping
                            default -> connection.send("GET", hostile.get((thread * 1_000 + i) % hostile.size()));
                        };
                    } catch (java.io.IOException closedWithoutAnswer) {
                        connection.reset(); // the container dropped a request line it would not parse
                        refused.incrementAndGet();
                        continue;
                    }
                    sent.incrementAndGet();
                    assertThat(status).isBetween(200, 499);
                    if (status == 400) {
                        // a malformed URI the container may refuse before any filter runs
                        refused.incrementAndGet();
                        connection.reset();
                    }
                }
            }
        });
        int inventedMethods = 1_000;
        runConcurrently(threads, 1, (thread, ignored) -> {
            try (RawConnection connection = new RawConnection(server.base())) {
                for (int i = 0; i < inventedMethods / threads; i++) {
                    String method = "X" + randomWord(random(thread, -i)).toUpperCase(Locale.ROOT);
                    String path = switch (i % 3) {
                        case 0 -> "/hello";
                        case 1 -> "/echo/" + method.toLowerCase(Locale.ROOT);
                        default -> "/" + method.toLowerCase(Locale.ROOT);
                    };
                    assertThat(connection.send(method, path)).isEqualTo(501); // HttpServlet: unknown method
                    sent.incrementAndGet();
                }
            }
        });
        int again = normalTraffic();
        // Requests the container refused before the filter (a 400 for a malformed URI) are not recorded.
        assertThat(refused.get()).isLessThan(junkPaths / 5);
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(scrape().sum(REQUESTS)).isBetween(
                (double) normal + again + sent.get() - refused.get(), (double) normal + again + sent.get()));
        PrometheusScrape after = scrape();
        byte[] attackedScrape = scrapeOverHttp();

        // trusted routes keep their own series: every normal series is still there, exactly doubled — but
        // for the three the junk itself lands in (404s, the /echo/* prefix mapping, and "/", "//", "/./", "/;")
        Map<Map<String, String>, Double> afterSeries = series(after);
        Set<String> junkLandsIn = Set.of("NOT_FOUND", "/echo/*", "root");
        normalSeries.forEach((labels, count) -> {
            if (junkLandsIn.contains(labels.get("uri"))) {
                assertThat(afterSeries.get(labels)).as("series %s", labels).isGreaterThanOrEqualTo(2 * count);
            } else {
                assertThat(afterSeries.get(labels)).as("series %s", labels).isEqualTo(2 * count);
            }
        });
        // no raw path text: every uri is a declared route, a mapping pattern or a constant
        assertThat(after.labelValues(REQUESTS, "uri")).isSubsetOf("/hello", "/users/{id}", "/fail", "REDIRECTION",
                "/status/*", "/echo/*", "NOT_FOUND", "/async/delayed", "root", "/stream", "/upload", "/form",
                "UNKNOWN");
        assertThat(after.labelValues(REQUESTS, "method")).isSubsetOf("GET", "HEAD", "POST", "PUT", "DELETE",
                HttpMethods.UNKNOWN);
        assertThat(after.sum("vigil_cardinality_overflow_total")).isZero();
        // clients cannot move the 5xx count: only the application's /fail, twice
        assertThat(after.sum(REQUESTS, "outcome", "SERVER_ERROR")).isEqualTo(2 * serverErrors);
        assertThat(after.sum(REQUESTS, "method", HttpMethods.UNKNOWN, "status", "501", "outcome", "CLIENT_ERROR"))
                .isEqualTo(inventedMethods);
        // the scrape stays within 2x of its size under normal traffic, in series and in bytes
        int normalLines = sampleLines(normalScrape);
        int attackedLines = sampleLines(attackedScrape);
        System.out.printf("[%s] scrape under normal traffic: %d samples, %d bytes; after the attack: %d samples,"
                + " %d bytes; http.server.requests series %d -> %d%n", container().name(), normalLines,
                normalScrape.length, attackedLines, attackedScrape.length, normalSeries.size(), afterSeries.size());
        assertThat(attackedLines).isLessThanOrEqualTo(2 * normalLines);
        assertThat(attackedScrape.length).isLessThanOrEqualTo(2 * normalScrape.length);
        assertThat(after.sum("vigil_internal_errors_total")).isZero();
    }

    @Test
    void untrustedPathsFillOnlyTheirOwnCapNeverADeclaredRoutesSlot() throws Exception {
        // The application opts /echo/* into path templates: its normalized paths are labels, budgeted apart.
        start(builder -> builder.pathTemplates("/echo/*"));
        http.get("/hello");
        awaitRecorded(1);
        int junk = 2_000;
        runConcurrently(4, 1, (thread, ignored) -> {
            try (RawConnection connection = new RawConnection(server.base())) {
                for (int i = 0; i < junk / 4; i++) {
                    assertThat(connection.send("GET", "/echo/" + randomWord(random(thread, i))))
                            .isEqualTo(200);
                }
            }
        });
        // routes seen before and, above all, routes first seen after the attack keep their own series
        http.get("/hello");
        http.get("/users/42");
        http.get("/stream");
        http.get("/status/204");
        PrometheusScrape scrape = awaitRecorded(1 + junk + 4);
        assertThat(scrape.value(REQUESTS, "method", "GET", "uri", "/hello")).isEqualTo(2);
        assertThat(scrape.value(REQUESTS, "method", "GET", "uri", "/users/{id}")).isEqualTo(1);
        assertThat(scrape.value(REQUESTS, "method", "GET", "uri", "/stream")).isEqualTo(1);
        assertThat(scrape.value(REQUESTS, "method", "GET", "uri", "/status/*")).isEqualTo(1);
        Set<String> uris = scrape.labelValues(REQUESTS, "uri");
        long echoes = uris.stream().filter(uri -> uri.startsWith("/echo/")).count();
        assertThat(echoes).isEqualTo(100); // the untrusted cap
        assertThat(uris).hasSize(100 + 1 + 4); // + OTHER + the four declared routes
        assertThat(scrape.value(REQUESTS, "uri", "OTHER")).isEqualTo(junk - 100);
        assertThat(scrape.value("vigil_cardinality_overflow_total", "meter", "http.server.requests", "tag", "uri"))
                .isEqualTo(junk - 100);
    }

    @Test
    void theSeriesBudgetFoldsNewSeriesIntoOtherAndCountsThem() throws Exception {
        start(builder -> builder.cardinalityLimits(CardinalityLimits.builder()
                .series(MetricCatalog.HTTP_SERVER_REQUESTS, 5).build()));
        for (int status = 200; status < 212; status++) {
            assertThat(http.get("/status/" + status).statusCode()).isEqualTo(status);
        }
        http.get("/fail");
        PrometheusScrape scrape = awaitRecorded(13);
        assertThat(scrape.series(REQUESTS)).hasSize(5 + 2);
        assertThat(scrape.value(REQUESTS, "method", "OTHER", "uri", "OTHER", "status", "OTHER", "outcome", "SUCCESS",
                "exception", "OTHER")).isEqualTo(12 - 5);
        assertThat(scrape.value(REQUESTS, "outcome", "SERVER_ERROR")).isEqualTo(1); // the ratio survives the fold
        assertThat(scrape.value("vigil_cardinality_overflow_total", "meter", "http.server.requests", "tag", "series"))
                .isEqualTo(12 - 5 + 1);
        // with the compact layout: 11 boundaries and +Inf per series
        assertThat(scrape.labelValues("http_server_requests_seconds_bucket", "le")).containsExactlyInAnyOrder(
                "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf");
    }

    // ---- 4. the recorded status is the status on the wire ----

    @Test
    void malformedFormsAreRecordedWithTheStatusOnTheWireNeverAsServerErrors() throws Exception {
        start(UnaryOperator.identity());
        StringBuilder manyKeys = new StringBuilder("item=a");
        for (int i = 0; i < 5_000; i++) {
            manyKeys.append("&k").append(i).append("=v");
        }
        Map<String, String[]> forms = new LinkedHashMap<>();
        forms.put("bad percent-encoding", new String[] {"item=%zz", "application/x-www-form-urlencoded"});
        forms.put("300 KB form", new String[] {"item=" + "x".repeat(300_000), "application/x-www-form-urlencoded"});
        forms.put("5,000 keys", new String[] {manyKeys.toString(), "application/x-www-form-urlencoded"});
        forms.put("unknown charset", new String[] {"item=a", "application/x-www-form-urlencoded; charset=GARB-9"});
        Map<Integer, Integer> onTheWire = new TreeMap<>();
        List<String> answers = new ArrayList<>();
        for (Map.Entry<String, String[]> form : forms.entrySet()) {
            HttpResponse<String> response = http.send("POST", "/form",
                    HttpRequest.BodyPublishers.ofString(form.getValue()[0]), "Content-Type", form.getValue()[1]);
            onTheWire.merge(response.statusCode(), 1, Integer::sum);
            answers.add(form.getKey() + " -> " + response.statusCode());
        }
        System.out.printf("[%s] malformed forms: %s%n", container().name(), answers);
        PrometheusScrape scrape = awaitRecorded(forms.size());
        Map<Integer, Integer> recorded = new TreeMap<>();
        for (PrometheusScrape.Sample sample : scrape.samples(REQUESTS)) {
            assertThat(sample.labels()).containsEntry("uri", "/form").containsEntry("method", "POST");
            recorded.merge(Integer.parseInt(sample.labels().get("status")), (int) sample.value(), Integer::sum);
        }
        assertThat(recorded).as(answers.toString()).isEqualTo(onTheWire);
        assertThat(onTheWire.keySet()).as(answers.toString()).allMatch(status -> status < 500);
        assertThat(scrape.sum(REQUESTS, "outcome", "SERVER_ERROR")).isZero();
    }

    @Test
    void malformedContentLengthsAreClientErrorsNeverServerErrors() throws Exception {
        start(UnaryOperator.identity());
        List<String> answers = new ArrayList<>();
        for (String length : List.of("abc", "-1", "99999999999999999999", "1, 2", "0x10", "1 1", "5;x")) {
            int status = Http.rawStatus(http.raw("POST /upload HTTP/1.1\r\nContent-Length: " + length));
            answers.add(length + " -> " + status);
            // refused by the container's parser (or the connection closed): never a 5xx
            assertThat(status).as("Content-Length: %s", length).matches(s -> s == -1 || (s >= 400 && s < 500));
        }
        System.out.printf("[%s] malformed Content-Length: %s%n", container().name(), answers);
        http.get("/hello");
        org.awaitility.Awaitility.await().untilAsserted(() ->
                assertThat(scrape().sum(REQUESTS, "uri", "/hello")).isEqualTo(1));
        PrometheusScrape scrape = scrape();
        assertThat(scrape.sum(REQUESTS, "outcome", "SERVER_ERROR")).isZero();
        assertThat(scrape.sum("vigil_internal_errors_total")).isZero();
    }

    // ---- 5. Vigil's servlets refuse TRACE and echo nothing ----

    @Test
    void traceIsRefusedByVigilsServletsAndEchoesNoHeader() throws Exception {
        start(UnaryOperator.identity());
        try (RawConnection connection = new RawConnection(server.base())) {
            for (String path : List.of("/metrics", "/secure-metrics", "/health", "/health/ready")) {
                int status = connection.send("TRACE", path, "Authorization: Bearer " + TOKEN,
                        "Cookie: session=c00kie-v4lue");
                assertThat(status).as("TRACE %s", path).isEqualTo(405);
                assertThat(connection.lastBody()).as("TRACE %s", path).doesNotContain(TOKEN, "c00kie-v4lue");
            }
        }
    }
}
