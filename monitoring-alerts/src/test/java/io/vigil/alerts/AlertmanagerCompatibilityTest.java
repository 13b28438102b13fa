package io.vigil.alerts;

import io.vigil.alerts.testkit.RealTools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.core.alert.CorrelationEngine;
import io.vigil.core.alert.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same requests to a real Alertmanager 0.25 (Debian's {@code prometheus-alertmanager}, started here) and to
 * Vigil: the same status codes, the same JSON fields (recursively) and, for errors and fixed answers, the same
 * bodies. In the spirit of Micrometer's TCK: one list of cases, two implementations.
 */
class AlertmanagerCompatibilityTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static RealTools.Server alertmanager;
    static String amUrl;
    static ApiServer vigil;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        String binary = RealTools.require("prometheus-alertmanager");
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, "route:\n  receiver: ops\n  group_by: [alertname]\nreceivers:\n  - name: ops\n");
        int port = RealTools.freePort();
        alertmanager = new RealTools.Server(List.of(binary, "--config.file=" + config, "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address="), dir.resolve("am.log"));
        amUrl = "http://127.0.0.1:" + port;
        Instant deadline = Instant.now().plusSeconds(30);
        while (status(amUrl + "/-/ready") != 200) {
            assertThat(alertmanager.alive()).as(alertmanager.log()).isTrue();
            assertThat(Instant.now()).as("Alertmanager ready within 30 s").isBefore(deadline);
            Thread.sleep(100);
        }
        Route route = Route.builder().receiver("ops").groupBy("alertname").build();
        vigil = new ApiServer(AlertsServlet.builder(CorrelationEngine.builder(route).build()).route(route)
                .registry(new SimpleMeterRegistry()).build(), "/am");
    }

    @AfterAll
    static void stop() {
        if (vigil != null) {
            vigil.close();
        }
        if (alertmanager != null) {
            alertmanager.close();
        }
    }

    record Answer(int status, String body) {
    }

    private static int status(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static Answer send(String base, String method, String path, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> r = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path, e);
        }
    }

    /** Both answers; asserts equal status codes and equal JSON field structure. */
    private static Answer[] both(String method, String path, String body) {
        Answer am = send(amUrl, method, path, body);
        Answer vi = send(vigil.url(), method, path, body);
        assertThat(vi.status()).as(method + " " + path + " " + body + "\nAlertmanager: " + am.body() + "\nVigil: " + vi.body())
                .isEqualTo(am.status());
        assertThat(shape(vi.body())).as(method + " " + path + "\nAlertmanager: " + am.body() + "\nVigil: " + vi.body())
                .isEqualTo(shape(am.body()));
        return new Answer[] {am, vi};
    }

    private static void sameBody(String method, String path, String body) {
        Answer[] answers = both(method, path, body);
        assertThat(answers[1].body()).as(method + " " + path).isEqualTo(answers[0].body());
    }

    /** Field names and value kinds, recursively (an array by its first element). */
    static Object shape(String body) {
        if (body.isEmpty()) {
            return "empty";
        }
        try {
            return shape(JSON.readTree(body));
        } catch (Exception e) {
            return "not json";
        }
    }

    private static Object shape(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> fields = new TreeMap<>();
            node.properties().forEach(e -> fields.put(e.getKey(), shape(e.getValue())));
            return fields;
        }
        if (node.isArray()) {
            return node.isEmpty() ? List.of() : List.of(shape(node.get(0)));
        }
        return node.getNodeType().toString();
    }

    private static String silence(String extra, Instant start, Instant end) {
        return "{" + extra + "\"matchers\":[{\"name\":\"alertname\",\"value\":\"Compat.*\",\"isRegex\":true}],"
                + "\"startsAt\":\"" + start + "\",\"endsAt\":\"" + end + "\",\"createdBy\":\"tck\",\"comment\":\"same\"}";
    }

    @Test
    void alerts() {
        String alerts = "[{\"labels\":{\"alertname\":\"CompatDown\",\"instance\":\"a\",\"severity\":\"page\"},"
                + "\"annotations\":{\"summary\":\"down\"},\"generatorURL\":\"http://prometheus/graph\"},"
                + "{\"labels\":{\"alertname\":\"CompatSlow\"},\"startsAt\":\"2026-01-01T00:00:00Z\"}]";
        sameBody("POST", "/api/v2/alerts", alerts);
        sameBody("POST", "/api/v2/alerts", alerts);
        Answer[] list = both("GET", "/api/v2/alerts", null);
        assertThat(list[1].body()).contains("CompatDown", "CompatSlow", "\"state\":\"active\"");
        both("GET", "/api/v2/alerts?filter=alertname%3D%22CompatDown%22&active=true&silenced=false", null);
        both("GET", "/api/v2/alerts/groups", null);
        sameBody("GET", "/api/v2/alerts?filter=alertname%3DNothing", null);
        sameBody("GET", "/api/v2/alerts/groups?receiver=nobody", null);
        sameBody("GET", "/api/v2/receivers", null);
        both("GET", "/api/v2/status", null);
    }

    @Test
    void refusedAlerts() {
        both("POST", "/api/v2/alerts", "[{\"labels\":");
        both("POST", "/api/v2/alerts", "{\"labels\":{\"a\":\"b\"}}");
        sameBody("POST", "/api/v2/alerts", "[{\"annotations\":{}}]");
        sameBody("POST", "/api/v2/alerts", "[{\"labels\":{}}]");
        sameBody("POST", "/api/v2/alerts", "[{\"labels\":{\"a-b\":\"x\"}}]");
        sameBody("POST", "/api/v2/alerts", "[{\"labels\":{\"alertname\":\"E\"},\"startsAt\":\"2026-12-02T04:00:00Z\","
                + "\"endsAt\":\"2026-12-02T03:00:00Z\"}]");
        both("POST", "/api/v2/alerts", "[{\"labels\":{\"alertname\":\"T\"},\"startsAt\":\"yesterday\"}]");
        sameBody("POST", "/api/v2/alerts", "[{\"labels\":{\"alertname\":1}}]");
        sameBody("GET", "/api/v2/alerts?filter=foo", null);
        sameBody("GET", "/api/v2/alerts?receiver=%5B", null);
        sameBody("GET", "/api/v2/alerts?filter=a%3D~%22a%7B1001%7D%22", null);
    }

    @Test
    void silences() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Answer[] created = both("POST", "/api/v2/silences", silence("", now.minusSeconds(60), now.plusSeconds(3600)));
        String amId = read(created[0]).path("silenceID").asText();
        String viId = read(created[1]).path("silenceID").asText();
        Answer am = send(amUrl, "GET", "/api/v2/silence/" + amId, null);
        Answer vi = send(vigil.url(), "GET", "/api/v2/silence/" + viId, null);
        assertThat(vi.status()).isEqualTo(am.status()).isEqualTo(200);
        assertThat(shape(vi.body())).isEqualTo(shape(am.body()));
        assertThat(read(vi).path("matchers")).isEqualTo(read(am).path("matchers"));
        assertThat(read(vi).path("status")).isEqualTo(read(am).path("status"));
        both("GET", "/api/v2/silences", null);
        both("GET", "/api/v2/silences?filter=alertname%3D%22Compat.*%22", null);
        sameBody("GET", "/api/v2/silences?filter=alertname%3Dnone", null);

        // Updating an active silence with a new end.
        am = send(amUrl, "POST", "/api/v2/silences", silence("\"id\":\"" + amId + "\",", now, now.plusSeconds(7200)));
        vi = send(vigil.url(), "POST", "/api/v2/silences", silence("\"id\":\"" + viId + "\",", now, now.plusSeconds(7200)));
        assertThat(vi.status()).isEqualTo(am.status()).isEqualTo(200);
        assertThat(shape(vi.body())).isEqualTo(shape(am.body()));

        am = send(amUrl, "DELETE", "/api/v2/silence/" + read(am).path("silenceID").asText(), null);
        vi = send(vigil.url(), "DELETE", "/api/v2/silence/" + read(vi).path("silenceID").asText(), null);
        assertThat(vi).isEqualTo(am);
        assertThat(vi.status()).isEqualTo(200);
    }

    @Test
    void refusedSilences() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        sameBody("POST", "/api/v2/silences", silence("", now.plusSeconds(3600), now.plusSeconds(60)));
        sameBody("POST", "/api/v2/silences", silence("", now.minusSeconds(7200), now.minusSeconds(3600)));
        sameBody("POST", "/api/v2/silences", silence("\"id\":\"00000000-0000-0000-0000-000000000001\",", now,
                now.plusSeconds(60)));
        sameBody("POST", "/api/v2/silences", silence("", now, now.plusSeconds(60)).replace("Compat.*", ".*"));
        sameBody("POST", "/api/v2/silences", silence("", now, now.plusSeconds(60)).replace("\"alertname\"", "\"a-b\""));
        sameBody("POST", "/api/v2/silences", silence("", now, now.plusSeconds(60)).replace(",\"createdBy\":\"tck\"", ""));
        sameBody("POST", "/api/v2/silences", silence("", now, now.plusSeconds(60)).replace(",\"isRegex\":true", ""));
        sameBody("POST", "/api/v2/silences", silence("", now, now.plusSeconds(60))
                .replace("[{\"name\":\"alertname\",\"value\":\"Compat.*\",\"isRegex\":true}]", "[]"));
        both("POST", "/api/v2/silences", "{\"matchers\":");
        sameBody("GET", "/api/v2/silence/00000000-0000-0000-0000-000000000000", null);
        sameBody("GET", "/api/v2/silence/xyz", null);
    }

    private static JsonNode read(Answer answer) {
        try {
            return JSON.readTree(answer.body());
        } catch (Exception e) {
            throw new AssertionError(answer.body(), e);
        }
    }

    /** Where Vigil answers differently on purpose (README): listed so a change on either side shows here. */
    @Test
    void documentedDifferences() {
        List<String> differences = new ArrayList<>();
        Answer am = send(amUrl, "DELETE", "/api/v2/silence/00000000-0000-0000-0000-000000000000", null);
        Answer vi = send(vigil.url(), "DELETE", "/api/v2/silence/00000000-0000-0000-0000-000000000000", null);
        differences.add("DELETE unknown silence: Alertmanager " + am.status() + ", Vigil " + vi.status());
        am = send(amUrl, "GET", "/api/v2/alerts?active=maybe", null);
        vi = send(vigil.url(), "GET", "/api/v2/alerts?active=maybe", null);
        differences.add("active=maybe: Alertmanager " + am.status() + ", Vigil " + vi.status());
        assertThat(differences).containsExactly("DELETE unknown silence: Alertmanager 500, Vigil 404",
                "active=maybe: Alertmanager 200, Vigil 400");
    }
}
