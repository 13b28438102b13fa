package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status page over HTTP, as a browser's requests would reach it: the HTML it serves (escaped, with its
 * security headers), and which acknowledge-form posts it takes. The browser itself is {@link StatusPageBrowserTest}.
 */
class StatusPageTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern INCIDENT = Pattern.compile("name=\"incident\" value=\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void pageShowsHealthIncidentAndAlertsWithEveryUntrustedValueEscaped(@TempDir Path dir) throws Exception {
        try (StatusPageFixture service = new StatusPageFixture(dir, null)) {
            HttpResponse<String> empty = get(service.api.url() + "/");
            assertThat(empty.statusCode()).isEqualTo(200);
            assertThat(empty.body()).contains("No open incidents.", "No firing alerts.");

            service.causeIncident();
            HttpResponse<String> page = get(service.api.url() + "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .startsWith("default-src 'none'; style-src 'sha256-").contains("form-action 'self'")
                    .doesNotContain("script-src", "unsafe");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            String html = page.body();
            assertThat(html).contains("1 open incident, 2 firing alerts", "data-check=\"db\"", "data-check=\"cache\"",
                    "PostgresDown", "HighErrorRate", "Escalation level:</b> 0", "<button type=\"submit\">Acknowledge");
            // The hostile label and the annotation's markup are shown as text, never as markup.
            assertThat(html).doesNotContain("<script", "<img", "<b>now", "onerror=\"")
                    .contains(StatusPage.escape(StatusPageFixture.HOSTILE), "&lt;b&gt;now&lt;/b&gt;");
            assertThat(html).doesNotContainPattern("note=\"[^&]");
            // The health section shows status only: the DOWN check's exception stays on /health.
            assertThat(html).doesNotContain("ConnectException", "Connection refused");
            assertThat(get(service.api.url()).statusCode()).isEqualTo(301);
        }
    }

    @Test
    void escapeCoversElementContentAndBothAttributeQuotes() {
        assertThat(StatusPage.escape("<a href='x' title=\"y\">&</a>"))
                .isEqualTo("&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;&lt;/a&gt;");
        String plain = "orders-db";
        assertThat(StatusPage.escape(plain)).isSameAs(plain);
    }

    @Test
    void acknowledgeFormIsTakenOnlyFromThePageItself(@TempDir Path dir) throws Exception {
        try (StatusPageFixture service = new StatusPageFixture(dir, null)) {
            service.causeIncident();
            String html = get(service.api.url() + "/").body();
            String id = group(INCIDENT, html);
            String csrf = group(CSRF, html);
            String ack = service.api.url() + StatusPage.ACK_PATH;

            // Forged: no token, another incident's token, a cross-site browser post, a JSON body.
            assertThat(postForm(ack, "incident=" + enc(id) + "&by=mallory", null).statusCode()).isEqualTo(403);
            assertThat(postForm(ack, "incident=" + enc(id) + "&csrf=" + enc(csrf) + "x", null).statusCode())
                    .isEqualTo(403);
            assertThat(postForm(ack, "incident=" + enc(id) + "&csrf=" + enc(csrf), "cross-site").statusCode())
                    .isEqualTo(403);
            HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(ack))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(json.statusCode()).isEqualTo(415);
            assertThat(incident(service).path("acknowledged").asBoolean()).isFalse();

            HttpResponse<String> taken = postForm(ack, "incident=" + enc(id) + "&csrf=" + enc(csrf)
                    + "&by=" + enc("<alice>"), "same-origin");
            assertThat(taken.statusCode()).isEqualTo(303);
            assertThat(taken.headers().firstValue("Location")).hasValue("/alerts/");
            service.manager.tick();   // the AlertManager applies acknowledgements on its tick
            JsonNode incident = incident(service);
            assertThat(incident.path("acknowledged").asBoolean()).isTrue();
            assertThat(incident.path("acknowledgedBy").asText()).isEqualTo("<alice>");
            assertThat(incident.path("escalation").get(0).path("acknowledged").asBoolean()).isTrue();
            assertThat(get(service.api.url() + "/").body()).contains("acknowledged</span> by &lt;alice&gt; at")
                    .doesNotContain("<alice>");

        }
    }

    @Test
    void withAWriteTokenTheFormAsksForIt(@TempDir Path dir) throws Exception {
        try (StatusPageFixture service = new StatusPageFixture(dir, "s3cret-write")) {
            service.api.bearer("s3cret-write");
            service.causeIncident();
            service.api.bearer(null);
            String html = get(service.api.url() + "/").body();
            assertThat(html).contains("type=\"password\" name=\"token\"");
            String form = "incident=" + enc(group(INCIDENT, html)) + "&csrf=" + enc(group(CSRF, html));
            String ack = service.api.url() + StatusPage.ACK_PATH;
            assertThat(postForm(ack, form, null).statusCode()).isEqualTo(401);
            assertThat(postForm(ack, form + "&token=wrong", null).statusCode()).isEqualTo(401);
            assertThat(incident(service).path("acknowledged").asBoolean()).isFalse();
            assertThat(postForm(ack, form + "&token=s3cret-write", null).statusCode()).isEqualTo(303);
            assertThat(incident(service).path("acknowledged").asBoolean()).isTrue();
        }
    }

    private static JsonNode incident(StatusPageFixture service) {
        return AlertsServletTest.json(service.api.get("/api/vigil/incidents")).get(0);
    }

    private static String group(Pattern pattern, String html) {
        Matcher m = pattern.matcher(html);
        assertThat(m.find()).as("%s in the page", pattern).isTrue();
        return m.group(1).replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&lt;", "<").replace("&gt;", ">");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postForm(String url, String form, String fetchSite)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (fetchSite != null) {
            request.header("Sec-Fetch-Site", fetchSite);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
