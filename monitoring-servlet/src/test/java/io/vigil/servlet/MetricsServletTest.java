package io.vigil.servlet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.exposition.PrometheusExposition;
import io.vigil.core.testkit.PrometheusScrape;
import jakarta.servlet.http.HttpServlet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scrape endpoint on a real Jetty: negotiation, gzip, auth, methods, the web.xml constructor. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsServletTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private ServletContainer.Running server;
    private Http http;

    @BeforeAll
    void start() throws Exception {
        Counter.builder("test.hits").register(registry).increment(3);
        Map<String, HttpServlet> servlets = new LinkedHashMap<>();
        servlets.put("/metrics", MetricsServlet.builder(registry).build());
        servlets.put("/plain", MetricsServlet.builder(registry).gzip(false).build());
        servlets.put("/bearer", MetricsServlet.builder(registry).bearerToken("s3cr3t-token").build());
        servlets.put("/basic", MetricsServlet.builder(registry).basicAuth("prometheus", "pa:ss word").build());
        Metrics.addRegistry(registry);
        servlets.put("/global", new MetricsServlet());
        server = new JettyContainer().start(servlets, null);
        http = new Http(server.base());
    }

    @AfterAll
    void stop() throws Exception {
        Metrics.removeRegistry(registry);
        server.close();
    }

    @Test
    void servesTextFormatByDefault() {
        HttpResponse<String> response = http.get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString()
                .startsWith("text/plain; version=0.0.4");
        assertThat(PrometheusScrape.parse(response.body()).value("test_hits_total")).isEqualTo(3);
        assertThat(response.body()).doesNotContain("# EOF");
    }

    @Test
    void servesOpenMetricsWhenTheScraperOffersIt() {
        HttpResponse<String> response = http.get("/metrics", "Accept",
                "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1");
        assertThat(response.headers().firstValue("Content-Type")).get().asString()
                .startsWith("application/openmetrics-text");
        assertThat(response.body()).endsWith("# EOF\n");
        assertThat(PrometheusScrape.parse(response.body()).value("test_hits_total")).isEqualTo(3);

        HttpResponse<String> refused = http.get("/metrics", "Accept", "application/openmetrics-text;q=0");
        assertThat(refused.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
    }

    @Test
    void compressesWhenGzipIsAccepted() throws IOException {
        HttpResponse<byte[]> response = http.getBytes("/metrics", "Accept-Encoding", "gzip, deflate");
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String body = new String(new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(PrometheusScrape.parse(body).value("test_hits_total")).isEqualTo(3);

        assertThat(http.getBytes("/metrics", "Accept-Encoding", "gzip;q=0").headers()
                .firstValue("Content-Encoding")).isEmpty();
        assertThat(http.getBytes("/plain", "Accept-Encoding", "gzip").headers()
                .firstValue("Content-Encoding")).isEmpty();
    }

    @Test
    void answersOnlyGetAndHead() {
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"}) {
            HttpResponse<String> response = http.send(method, "/metrics", HttpRequest.BodyPublishers.noBody());
            assertThat(response.statusCode()).as(method).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
        HttpResponse<String> head = http.send("HEAD", "/metrics", HttpRequest.BodyPublishers.noBody());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
    }

    @Test
    void bearerTokenIsRequiredWhenConfigured() {
        HttpResponse<String> missing = http.get("/bearer");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
        assertThat(missing.body()).doesNotContain("test_hits");
        assertThat(http.get("/bearer", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(http.get("/bearer", "Authorization", "Bearer s3cr3t-token-and-more").statusCode()).isEqualTo(401);
        assertThat(http.get("/bearer", "Authorization", "Basic " + basic("x", "s3cr3t-token")).statusCode())
                .isEqualTo(401);
        HttpResponse<String> ok = http.get("/bearer", "Authorization", "Bearer s3cr3t-token");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(PrometheusScrape.parse(ok.body()).value("test_hits_total")).isEqualTo(3);
        assertThat(http.send("POST", "/bearer", HttpRequest.BodyPublishers.noBody()).statusCode()).isEqualTo(405);
    }

    @Test
    void basicAuthIsRequiredWhenConfigured() {
        HttpResponse<String> missing = http.get("/basic");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Basic");
        assertThat(http.get("/basic", "Authorization", "Basic " + basic("prometheus", "wrong")).statusCode())
                .isEqualTo(401);
        assertThat(http.get("/basic", "Authorization", "Basic !!!not-base64").statusCode()).isEqualTo(401);
        assertThat(http.get("/basic", "Authorization", "Bearer pa:ss word").statusCode()).isEqualTo(401);
        assertThat(http.get("/basic", "Authorization", "Basic " + basic("prometheus", "pa:ss word")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void noArgConstructorScrapesThePrometheusRegistryOfTheGlobalRegistry() {
        HttpResponse<String> response = http.get("/global");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(PrometheusScrape.parse(response.body()).value("test_hits_total")).isEqualTo(3);
    }

    @Test
    void findsAPrometheusRegistryNestedInComposites() {
        CompositeMeterRegistry outer = new CompositeMeterRegistry();
        CompositeMeterRegistry inner = new CompositeMeterRegistry();
        outer.add(new SimpleMeterRegistry());
        outer.add(inner);
        assertThat(MetricsServlet.findPrometheusRegistry(outer)).isNull();
        inner.add(registry);
        assertThat(MetricsServlet.findPrometheusRegistry(outer)).isSameAs(registry);
    }

    @Test
    void rejectsBlankCredentials() {
        assertThatThrownBy(() -> MetricsServlet.builder(registry).bearerToken(" "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricsServlet.builder(registry).basicAuth("a:b", "c"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricsServlet.builder(registry).basicAuth("a", ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(PrometheusExposition.negotiate(null)).isEqualTo(PrometheusExposition.TEXT_0_0_4);
    }

    private static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
