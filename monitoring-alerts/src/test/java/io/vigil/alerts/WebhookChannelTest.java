package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookChannelTest {

    private MockWebServer server;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private NotificationChannel channel() {
        return NotificationChannel.webhook("hook", server.url("/hook").uri()).signingKey("s3cret")
                .timeout(Duration.ofSeconds(2)).build();
    }

    /** Field names and shapes of Alertmanager's notify/webhook Message (version 4) and template.Data. */
    @Test
    void postsAlertmanagersVersion4MessageWithExactFieldNames() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200));
        AlertNotification n = TestNotifications.firing("team", "HighLatency", "key-1", 2);
        channel().send(n);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(request.getHeader("Idempotency-Key")).isEqualTo("key-1");
        JsonNode body = NotificationJson.MAPPER.readTree(request.getBody().readUtf8());
        assertThat(fieldNames(body)).containsExactly("receiver", "status", "alerts", "groupLabels", "commonLabels",
                "commonAnnotations", "externalURL", "version", "groupKey", "truncatedAlerts");
        assertThat(body.get("version").asText()).isEqualTo("4");
        assertThat(body.get("receiver").asText()).isEqualTo("team");
        assertThat(body.get("status").asText()).isEqualTo("firing");
        assertThat(body.get("groupKey").asText()).isEqualTo("{}:{alertname=\"HighLatency\"}");
        assertThat(body.get("truncatedAlerts").asInt()).isZero();
        assertThat(body.get("groupLabels").toString()).isEqualTo("{\"alertname\":\"HighLatency\"}");
        // labels every alert shares; instance differs, so it is not common
        assertThat(fieldNames(body.get("commonLabels"))).containsExactly("alertname", "service", "severity");
        assertThat(body.get("commonAnnotations").get("summary").asText()).isEqualTo("HighLatency on checkout");
        JsonNode alert = body.get("alerts").get(0);
        assertThat(fieldNames(alert)).containsExactly("status", "labels", "annotations", "startsAt", "endsAt",
                "generatorURL", "fingerprint");
        assertThat(alert.get("status").asText()).isEqualTo("firing");
        assertThat(alert.get("startsAt").asText()).isEqualTo("2026-12-02T04:00:00Z");
        assertThat(alert.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z"); // Go's zero time
        assertThat(alert.get("fingerprint").asText()).isEqualTo("0000000000abc000");
        assertThat(alert.get("labels").get("instance").asText()).isEqualTo("host-0");
        assertThat(alert.get("generatorURL").asText()).isEqualTo("http://prometheus.local/graph?g0.expr=up");
    }

    @Test
    void signatureIsHmacSha256OfTheExactBody() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(204));
        channel().send(TestNotifications.firing("team", "A", "key-2", 1));
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        byte[] body = request.getBody().readByteArray();
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
        assertThat(request.getHeader("X-Vigil-Signature")).isEqualTo(expected);
    }

    @Test
    void resolvedCarriesEndsAtAndStatus() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200));
        AlertNotification firing = TestNotifications.firing("team", "A", "k", 1);
        channel().send(TestNotifications.resolved(firing, "k-resolved"));
        JsonNode body = NotificationJson.MAPPER.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().readUtf8());
        assertThat(body.get("status").asText()).isEqualTo("resolved");
        assertThat(body.get("alerts").get(0).get("status").asText()).isEqualTo("resolved");
        assertThat(body.get("alerts").get(0).get("endsAt").asText()).isEqualTo("2026-12-02T04:10:00Z");
    }

    @Test
    void maxAlertsTruncatesAndCounts() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200));
        NotificationChannel.webhook("hook", server.url("/").uri()).maxAlerts(2).build()
                .send(TestNotifications.firing("team", "A", "k", 5));
        JsonNode body = NotificationJson.MAPPER.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().readUtf8());
        assertThat(body.get("alerts")).hasSize(2);
        assertThat(body.get("truncatedAlerts").asInt()).isEqualTo(3);
    }

    @Test
    void incidentIsAnAdditionalObjectWithRootAndSymptoms() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200));
        AlertNotification.Alert root = TestNotifications.firingAlert("DatabaseDown", "orders-db", 9);
        AlertNotification n = TestNotifications.firing("team", "DatabaseDown", "k", 1).toBuilder()
                .incident(root, List.of(TestNotifications.firingAlert("HighLatency", "checkout", 1))).build();
        channel().send(n);
        JsonNode body = NotificationJson.MAPPER.readTree(server.takeRequest(5, TimeUnit.SECONDS).getBody().readUtf8());
        assertThat(body.get("incident").get("root").get("labels").get("service").asText()).isEqualTo("orders-db");
        assertThat(body.get("incident").get("symptoms")).hasSize(1);
    }

    /** As Alertmanager's webhook retrier: 5xx (and 429) are worth retrying, other 4xx are not. */
    @Test
    void serverErrorsAreRetryableAndClientErrorsAreRejections() {
        server.enqueue(new MockResponse().setResponseCode(503).setBody("busy"));
        server.enqueue(new MockResponse().setResponseCode(429));
        server.enqueue(new MockResponse().setResponseCode(400).setBody("bad payload"));
        NotificationChannel channel = channel();
        AlertNotification n = TestNotifications.firing("team", "A", "k", 1);
        assertThatThrownBy(() -> channel.send(n)).isInstanceOf(DeliveryFailure.class).hasMessage("hook: HTTP 503 busy");
        assertThatThrownBy(() -> channel.send(n)).isInstanceOf(DeliveryFailure.class).hasMessageContaining("HTTP 429");
        assertThatThrownBy(() -> channel.send(n)).isInstanceOf(NotificationChannel.Rejected.class)
                .hasMessage("hook: HTTP 400 bad payload");
    }

    @Test
    void aReceiverThatNeverAnswersTimesOut() {
        server.enqueue(new MockResponse().setResponseCode(200).setHeadersDelay(10, TimeUnit.SECONDS));
        NotificationChannel channel = NotificationChannel.webhook("hook", server.url("/").uri())
                .timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> channel.send(TestNotifications.firing("team", "A", "k", 1)))
                .isInstanceOf(DeliveryFailure.class).hasMessage("hook: no answer within 300 ms");
    }

    @Test
    void storedFormRoundTrips() {
        AlertNotification n = TestNotifications.firing("team", "A", "k", 3).toBuilder()
                .incident(TestNotifications.firingAlert("DbDown", "db", 7), List.of()).externalUrl("http://x").build();
        assertThat(NotificationJson.fromStored(NotificationJson.toStored(n))).isEqualTo(n);
        AlertNotification r = TestNotifications.resolved(n, "r");
        assertThat(NotificationJson.fromStored(NotificationJson.toStored(r))).isEqualTo(r);
    }

    @Test
    void rejectsNonHttpUrlsWithoutEchoingThem() {
        assertThatThrownBy(() -> NotificationChannel.webhook("hook", java.net.URI.create("ftp://user:pw@host/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("channel hook: URL scheme must be http or https, not ftp");
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
