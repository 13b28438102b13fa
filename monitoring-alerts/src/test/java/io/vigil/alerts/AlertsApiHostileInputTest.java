package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.core.alert.CorrelationEngine;
import io.vigil.core.alert.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Broken, hostile and unauthorized requests: each gets a 4xx in Alertmanager's error shape, none a 500, and the
 * engine's state is exactly what it was before (a batch with one bad alert takes none).
 */
class AlertsApiHostileInputTest {

    static final String TOKEN = "s3cret-token";
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    CorrelationEngine engine;
    ApiServer server;
    String before;

    @BeforeEach
    void start() {
        engine = CorrelationEngine.builder(Route.builder().receiver("ops").groupBy("alertname").build()).build();
        server = new ApiServer(AlertsServlet.builder(engine).clock(clock).writeToken(TOKEN)
                .registry(new SimpleMeterRegistry()).build(), "/vigil").bearer(TOKEN);
        assertThat(server.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Existing\",\"job\":\"x\"}}]").status())
                .isEqualTo(200);
        before = state();
    }

    @AfterEach
    void stop() {
        assertThat(state()).as("state after refused requests").isEqualTo(before);
        server.close();
    }

    private String state() {
        return server.get("/api/v2/alerts").body() + server.get("/api/v2/silences").body() + engine.stats();
    }

    private void refused(ApiServer.Reply reply, int status, String body) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/json");
        // Alertmanager ends a plain error (a JSON string) with a newline, its error objects without.
        assertThat(reply.body()).isEqualTo(body.startsWith("\"") && !body.endsWith("\n") ? body + "\n" : body);
    }

    @Test
    void malformedBodiesGetAlertmanagersParseError() {
        ApiServer.Reply truncated = server.post("/api/v2/alerts", "[{\"labels\":");
        assertThat(truncated.status()).isEqualTo(400);
        assertThat(truncated.body()).startsWith("{\"code\":400,\"message\":\"parsing alerts body from \\\"\\\" failed, because "
                + "Unexpected end-of-input");
        assertThat(server.post("/api/v2/alerts", "{\"labels\":{\"a\":\"b\"}}").body())
                .contains("cannot unmarshal object into Go value of type models.PostableAlerts");
        assertThat(server.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":1}}]").body())
                .contains("cannot unmarshal number into Go struct field Alert.labels of type string");
        assertThat(server.post("/api/v2/alerts", "[] []").status()).isEqualTo(400);
        assertThat(server.post("/api/v2/alerts", "").status()).isEqualTo(400);
        refused(server.post("/api/v2/alerts", "[{\"annotations\":{}}]"), 422,
                "{\"code\":602,\"message\":\"0.labels in body is required\"}");
        refused(server.post("/api/v2/alerts", "[{\"labels\":{}}]"), 400, "\"at least one label pair required\"\n");
    }

    @Test
    void oneBadAlertRefusesTheWholeBatch() {
        refused(server.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Good\"}},{\"labels\":{\"a-b\":\"x\"}}]"), 400,
                "\"invalid label set: invalid name \\\"a-b\\\"\"");
        refused(server.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Good\"}},{\"labels\":{\"alertname\":\"T\"},"
                + "\"startsAt\":\"2026-12-02T10:00:00Z\",\"endsAt\":\"2026-12-02T09:00:00Z\"}]"), 400,
                "\"start time must be before end time\"");
        assertThat(server.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Good\"}},{\"labels\":{\"alertname\":\"T\"},"
                + "\"startsAt\":\"yesterday\"}]").body()).contains("parsing time \\\"yesterday\\\"");
    }

    @Test
    void unknownFieldsAreIgnoredAsAlertmanagerDoes() {
        ApiServer.Reply reply = server.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Existing\",\"job\":\"x\"},"
                + "\"foo\":{\"bar\":1}}]");
        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] body = "[{\"labels\":{\"alertname\":\"X\"}}]".getBytes(StandardCharsets.UTF_8);
        byte[] broken = Arrays.copyOf(body, body.length);
        broken[17] = (byte) 0xC3;
        broken[18] = (byte) 0x28;
        ApiServer.Reply reply = server.post("/api/v2/alerts", broken);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).contains("Invalid UTF-8");
    }

    @Test
    void tenMegabyteBodiesAreRefusedWithAndWithoutContentLength() throws Exception {
        byte[] big = new byte[10 << 20];
        Arrays.fill(big, (byte) ' ');
        big[0] = '[';
        big[big.length - 1] = ']';
        refused(server.post("/api/v2/alerts", big), 413, "\"request body larger than 4194304 bytes\"\n");
        // Chunked: no Content-Length, the cap is enforced while reading.
        HttpResponse<String> chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.url() + "/api/v2/alerts")).header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
    }

    @Test
    void aHundredThousandLabelsAreRefused() {
        StringBuilder labels = new StringBuilder("[{\"labels\":{");
        for (int i = 0; i < 100_000; i++) {
            labels.append(i == 0 ? "" : ",").append("\"l").append(i).append("\":\"v\"");
        }
        String body = labels.append("}}]").toString();
        refused(server.post("/api/v2/alerts", body), 400, "\"too many labels: 100000 > 128\"\n");
    }

    @Test
    void longLabelsAndTooManyAlertsAreRefused() {
        refused(server.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"" + "x".repeat(1025) + "\"}}]"), 400,
                "\"value of labels \\\"alertname\\\" longer than 1024 characters\"");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",").append("{\"labels\":{\"alertname\":\"A").append(i).append("\"}}");
        }
        refused(server.post("/api/v2/alerts", many.append("]").toString()), 400,
                "\"too many alerts in one request: 1001 > 1000\"");
    }

    @Test
    void deeplyNestedJsonIsRefused() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        ApiServer.Reply reply = server.post("/api/v2/alerts", deep);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).contains("nesting depth");
        String deepLabels = "[{\"labels\":{\"alertname\":" + "{\"a\":".repeat(50) + "1" + "}".repeat(50) + "}}]";
        assertThat(server.post("/api/v2/alerts", deepLabels).status()).isEqualTo(400);
    }

    @Test
    void badMatchersAndBadQueryParametersAreRefused() {
        refused(server.get("/api/v2/alerts?filter=foo"), 400, "\"bad matcher format: foo\"\n");
        refused(server.get("/api/v2/alerts?receiver=%5B"), 400,
                "\"failed to parse receiver param: error parsing regexp: missing closing ]: `[)$`\"");
        assertThat(server.get("/api/v2/alerts?filter=a%3D~%22(%22").status()).isEqualTo(400);
        assertThat(server.get("/api/v2/alerts?active=maybe").status()).isEqualTo(400);
        assertThat(server.get("/api/v2/silences?filter=%7B").status()).isEqualTo(400);
        // RE2 refuses repetition counts above 1000, also nested ones that multiply past it (Go's messages).
        refused(server.get("/api/v2/alerts?filter=a%3D~%22a%7B1001%7D%22"), 400,
                "\"error parsing regexp: invalid repeat count: `{1001}`\"");
        refused(server.get("/api/v2/alerts?filter=" + URLEncoder.encode("a=~\"((a{1000}){1000}){1000}\"",
                StandardCharsets.UTF_8)), 400, "\"error parsing regexp: invalid repeat count: `{1000}`\"\n");
        assertThat(server.post("/api/v2/silences", "{\"matchers\":[{\"name\":\"v\",\"value\":\"(x{100}){100}\","
                + "\"isRegex\":true}],\"startsAt\":\"2026-12-02T10:00:00Z\",\"endsAt\":\"2026-12-02T11:00:00Z\","
                + "\"createdBy\":\"fuzz\",\"comment\":\"\"}").status()).isEqualTo(400);
        assertThat(server.get("/api/v2/alerts?filter=" + URLEncoder.encode("a=~\"(a{10}[{]){100}\"",
                StandardCharsets.UTF_8)).status()).isEqualTo(200);
    }

    @Test
    void catastrophicBacktrackingPatternsRunInLinearTime() {
        // In java.util.regex, (a|aa)*c and (a+)+b over "aaa...a" take exponential time; RE2 does not backtrack.
        String value = "a".repeat(1_000);
        assertThat(server.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Bomb\",\"v\":\"" + value + "\"}}]")
                .status()).isEqualTo(200);
        before = state();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (String pattern : new String[] {"(a|aa)*c", "(a+)+b", "(a*)*b", "(a|a)*b"}) {
                ApiServer.Reply reply = server.get("/api/v2/alerts?filter="
                        + URLEncoder.encode("v=~\"" + pattern + "\"", StandardCharsets.UTF_8));
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.body()).isEqualTo("[]\n");
            }
            ApiServer.Reply silence = server.post("/api/v2/silences", "{\"matchers\":[{\"name\":\"v\",\"value\":"
                    + "\"(a|aa)*c\",\"isRegex\":true}],\"startsAt\":\"2026-12-02T10:00:00Z\",\"endsAt\":"
                    + "\"2026-12-02T11:00:00Z\",\"createdBy\":\"fuzz\",\"comment\":\"\"}");
            assertThat(silence.status()).isEqualTo(200);
            JsonNode bomb = AlertsServletTest.json(server.get("/api/v2/alerts?filter=alertname%3DBomb")).get(0);
            assertThat(bomb.path("status").path("state").asText()).isEqualTo("active");
            server.delete("/api/v2/silence/" + AlertsServletTest.json(silence).path("silenceID").asText());
        });
        before = state();
    }

    @Test
    void silencesRefusedAsAlertmanagerRefusesThem() {
        String valid = "{\"matchers\":[{\"name\":\"a\",\"value\":\"b\",\"isRegex\":false}],\"startsAt\":"
                + "\"2026-12-02T10:00:00Z\",\"endsAt\":\"2026-12-02T11:00:00Z\",\"createdBy\":\"me\",\"comment\":\"c\"}";
        refused(server.post("/api/v2/silences", valid.replace("11:00", "09:30")), 400,
                "\"Failed to create silence: start time must be before end time\"");
        refused(server.post("/api/v2/silences", valid.replace("10:00:00Z", "08:00:00Z").replace("11:00", "09:00")), 400,
                "\"Failed to create silence: end time can't be in the past\"");
        refused(server.post("/api/v2/silences", valid.replace("\"value\":\"b\",\"isRegex\":false",
                "\"value\":\".*\",\"isRegex\":true")), 400,
                "\"silence invalid: at least one matcher must not match the empty string\"");
        refused(server.post("/api/v2/silences", valid.replace("\"name\":\"a\"", "\"name\":\"a-b\"")), 400,
                "\"silence invalid: invalid label matcher 0: invalid label name \\\"a-b\\\"\"");
        refused(server.post("/api/v2/silences", valid.replace("[{\"name\":\"a\",\"value\":\"b\",\"isRegex\":false}]", "[]")),
                422, "{\"code\":612,\"message\":\"matchers in body should have at least 1 items\"}");
        refused(server.post("/api/v2/silences", valid.replace(",\"createdBy\":\"me\"", "")), 422,
                "{\"code\":602,\"message\":\"createdBy in body is required\"}");
        refused(server.post("/api/v2/silences", valid.replace(",\"isRegex\":false", "")), 422,
                "{\"code\":602,\"message\":\"matchers.0.isRegex in body is required\"}");
        assertThat(server.post("/api/v2/silences", valid.replace("\"value\":\"b\",\"isRegex\":false",
                "\"value\":\"[\",\"isRegex\":true")).body()).startsWith("\"silence invalid: invalid label matcher 0: "
                + "invalid regular expression \\\"[\\\": ");
    }

    @Test
    void writesNeedTheBearerTokenReadsAreOpen() {
        server.bearer(null);
        refused(server.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Sneaky\"}}]"), 401, "\"unauthorized\"\n");
        server.bearer("s3cret-tokeN");
        refused(server.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Sneaky\"}}]"), 401, "\"unauthorized\"\n");
        refused(server.delete("/api/v2/silence/00000000-0000-0000-0000-000000000000"), 401, "\"unauthorized\"\n");
        refused(server.post("/api/vigil/incidents/x/ack", ""), 401, "\"unauthorized\"\n");
        server.bearer(null);
        assertThat(server.get("/api/v2/alerts").status()).isEqualTo(200);
        server.bearer(TOKEN);
    }

    @Test
    void aReadTokenClosesReads() {
        ApiServer closed = new ApiServer(AlertsServlet.builder(engine).writeToken(TOKEN).readToken("reader")
                .registry(new SimpleMeterRegistry()).build(), "/closed");
        try {
            assertThat(closed.get("/api/v2/alerts").status()).isEqualTo(401);
            assertThat(closed.bearer("reader").get("/api/v2/alerts").status()).isEqualTo(200);
            assertThat(closed.post("/api/v2/alerts", "[]").status()).isEqualTo(401);
            assertThat(closed.bearer(TOKEN).get("/api/v2/status").status()).isEqualTo(200);
        } finally {
            closed.close();
        }
    }

    @Test
    void mutatedBodiesNeverGetA500() {
        byte[] valid = ("[{\"labels\":{\"alertname\":\"Existing\",\"job\":\"x\"},\"annotations\":{\"s\":\"t\"},"
                + "\"startsAt\":\"2026-12-02T09:00:00Z\",\"generatorURL\":\"http://p\"}]").getBytes(StandardCharsets.UTF_8);
        Random random = new Random(42);
        int refusedCount = 0;
        for (int i = 0; i < 300; i++) {
            byte[] body = Arrays.copyOf(valid, valid.length);
            for (int m = 0; m <= random.nextInt(4); m++) {
                body[random.nextInt(body.length)] = (byte) random.nextInt(256);
            }
            ApiServer.Reply reply = server.post("/api/v2/alerts", body);
            assertThat(reply.status()).as(new String(body, StandardCharsets.UTF_8)).isIn(200, 400, 422);
            if (reply.status() != 200) {
                refusedCount++;
                assertThat(state()).isEqualTo(before);
            } else {
                // A mutation that stays valid may add or update an alert; the next comparison starts from there.
                before = state();
            }
        }
        assertThat(refusedCount).isGreaterThan(150);
    }
}
