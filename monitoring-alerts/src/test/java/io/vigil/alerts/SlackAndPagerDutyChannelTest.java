package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.vigil.alerts.WebhookChannelTest.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Slack's incoming-webhook payload (text plus Block Kit blocks: header/plain_text ≤ 150, section/mrkdwn ≤ 3000,
 * context elements, ≤ 50 blocks) and PagerDuty's Events API v2 event (routing_key, event_action, dedup_key,
 * payload.summary ≤ 1024 / source / severity ∈ {critical, error, warning, info} / timestamp / component / group /
 * class / custom_details, client, client_url, links) checked field by field as their documentation lists them.
 */
class SlackAndPagerDutyChannelTest {

    private static final String ROUTING_KEY = "R0UTINGKEY0123456789abcdefABCDEF";
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

    private JsonNode sent() throws Exception {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
        return NotificationJson.MAPPER.readTree(request.getBody().readUtf8());
    }

    @Test
    void slackPayloadFollowsBlockKitSchema() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("ok"));
        AlertNotification n = TestNotifications.firing("team", "HighLatency", "key-7", 2).toBuilder()
                .incident(TestNotifications.firingAlert("DatabaseDown", "orders-db", 9),
                        List.of(TestNotifications.firingAlert("HighLatency", "checkout", 1)))
                .build();
        NotificationChannel.slack("slack", server.url("/services/T000/B000/XXXX").uri()).build().send(n);
        JsonNode body = sent();
        assertThat(fieldNames(body)).containsExactly("text", "blocks");
        assertThat(body.get("text").asText()).startsWith("[FIRING:2] HighLatency — root cause DatabaseDown{");
        JsonNode blocks = body.get("blocks");
        assertThat(blocks.size()).isLessThanOrEqualTo(50);
        List<String> types = new ArrayList<>();
        blocks.forEach(b -> types.add(b.get("type").asText()));
        assertThat(types).containsExactly("header", "section", "section", "section", "context");
        JsonNode header = blocks.get(0).get("text");
        assertThat(header.get("type").asText()).isEqualTo("plain_text");
        assertThat(header.get("text").asText().length()).isLessThanOrEqualTo(150);
        assertThat(blocks.get(1).get("text").get("type").asText()).isEqualTo("mrkdwn");
        assertThat(blocks.get(1).get("text").get("text").asText())
                .startsWith("*Root cause:* `DatabaseDown{instance=\"host-9\", service=\"orders-db\", severity=\"critical\"}`")
                .contains("*Symptoms (1):*");
        assertThat(blocks.get(2).get("text").get("text").asText()).contains("HighLatency on checkout")
                .contains("<http://prometheus.local/graph?g0.expr=up|source>");
        JsonNode context = blocks.get(4);
        assertThat(context.get("elements").get(0).get("type").asText()).isEqualTo("mrkdwn");
        assertThat(context.get("elements").get(0).get("text").asText()).contains("key `key-7`");
        for (JsonNode block : blocks) {
            if (block.get("type").asText().equals("section")) {
                assertThat(block.get("text").get("text").asText().length()).isLessThanOrEqualTo(3000);
            }
        }
    }

    @Test
    void slackKeepsItsLimitsForHugeGroups() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200));
        NotificationChannel.slack("slack", server.url("/x").uri()).build()
                .send(TestNotifications.firing("team", "X".repeat(400), "k", 200));
        JsonNode body = sent();
        assertThat(body.get("blocks").size()).isLessThanOrEqualTo(50);
        assertThat(body.get("blocks").get(0).get("text").get("text").asText()).hasSize(150);
        assertThat(body.get("blocks").get(11).get("text").get("text").asText()).isEqualTo("…and 190 more");
    }

    @Test
    void slackErrorsAreClassified() {
        server.enqueue(new MockResponse().setResponseCode(404).setBody("no_service"));
        server.enqueue(new MockResponse().setResponseCode(500).setBody("rollup_error"));
        NotificationChannel slack = NotificationChannel.slack("slack", server.url("/x").uri()).build();
        AlertNotification n = TestNotifications.firing("team", "A", "k", 1);
        assertThatThrownBy(() -> slack.send(n)).isInstanceOf(NotificationChannel.Rejected.class)
                .hasMessage("slack: HTTP 404 no_service");
        assertThatThrownBy(() -> slack.send(n)).isInstanceOf(DeliveryFailure.class);
    }

    private NotificationChannel pagerDuty() {
        return NotificationChannel.pagerDuty("pd", ROUTING_KEY).endpoint(server.url("/v2/enqueue").uri())
                .source("checkout-prod").build();
    }

    @Test
    void pagerDutyTriggerHasEveryDocumentedField() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(202)
                .setBody("{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"x\"}"));
        AlertNotification n = TestNotifications.firing("team", "HighLatency", "key-9", 2).toBuilder()
                .externalUrl("http://vigil.local").build();
        pagerDuty().send(n);
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getPath()).isEqualTo("/v2/enqueue");
        assertThat(request.getHeader("Idempotency-Key")).isEqualTo("key-9");
        JsonNode event = NotificationJson.MAPPER.readTree(request.getBody().readUtf8());
        assertThat(fieldNames(event)).containsExactly("routing_key", "event_action", "dedup_key", "payload", "client",
                "client_url", "links");
        assertThat(event.get("routing_key").asText()).isEqualTo(ROUTING_KEY);
        assertThat(event.get("event_action").asText()).isEqualTo("trigger");
        assertThat(event.get("dedup_key").asText()).matches("[0-9a-f]{64}")
                .isEqualTo(PagerDutyChannel.dedupKey(n.groupKey()));
        JsonNode payload = event.get("payload");
        assertThat(fieldNames(payload)).containsExactly("summary", "source", "severity", "timestamp", "component",
                "class", "custom_details");
        assertThat(payload.get("summary").asText()).isEqualTo("[FIRING:2] HighLatency");
        assertThat(payload.get("source").asText()).isEqualTo("checkout-prod"); // instance differs between alerts
        assertThat(payload.get("severity").asText()).isEqualTo("critical");
        assertThat(payload.get("timestamp").asText()).isEqualTo("2026-12-02T04:00:00Z");
        assertThat(payload.get("component").asText()).isEqualTo("checkout");
        assertThat(payload.get("class").asText()).isEqualTo("HighLatency");
        JsonNode details = payload.get("custom_details");
        assertThat(details.get("num_firing").asInt()).isEqualTo(2);
        assertThat(details.get("num_resolved").asInt()).isZero();
        assertThat(details.get("idempotency_key").asText()).isEqualTo("key-9");
        assertThat(details.get("firing").asText()).contains("HighLatency on checkout");
        assertThat(event.get("client").asText()).isEqualTo("Vigil");
        assertThat(event.get("client_url").asText()).isEqualTo("http://vigil.local");
        assertThat(event.get("links").get(0).get("href").asText()).isEqualTo("http://prometheus.local/graph?g0.expr=up");
        assertThat(fieldNames(event.get("links").get(0))).containsExactly("href", "text");
    }

    @Test
    void pagerDutyResolveUsesTheSameDedupKeyAndNothingElse() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(202));
        server.enqueue(new MockResponse().setResponseCode(202));
        AlertNotification firing = TestNotifications.firing("team", "A", "k1", 1);
        pagerDuty().send(firing);
        pagerDuty().send(TestNotifications.resolved(firing, "k2"));
        JsonNode trigger = sent();
        JsonNode resolve = sent();
        assertThat(fieldNames(resolve)).containsExactly("routing_key", "event_action", "dedup_key");
        assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.get("dedup_key").asText()).isEqualTo(trigger.get("dedup_key").asText());
    }

    @Test
    void pagerDutySeverityIsOneOfTheFourAndSummaryIsCapped() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(202));
        AlertNotification.Builder b = AlertNotification.builder("team", "g", "k").groupLabel("alertname", "Y".repeat(2000));
        b.alert(AlertNotification.Alert.builder(AlertNotification.Status.FIRING, "0000000000000001")
                .label("alertname", "Y").label("severity", "page").startsAt(TestNotifications.T0).build());
        pagerDuty().send(b.build());
        JsonNode payload = sent().get("payload");
        assertThat(payload.get("severity").asText()).isIn(Set.of("critical", "error", "warning", "info"))
                .isEqualTo("error");
        assertThat(payload.get("summary").asText()).hasSize(1024);
        assertThatThrownBy(() -> NotificationChannel.pagerDuty("pd", "k").defaultSeverity("page"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pagerDutyAnswersAreClassified() {
        server.enqueue(new MockResponse().setResponseCode(400)
                .setBody("{\"status\":\"invalid event\",\"message\":\"Event object is invalid\"}"));
        server.enqueue(new MockResponse().setResponseCode(429));
        NotificationChannel pd = pagerDuty();
        AlertNotification n = TestNotifications.firing("team", "A", "k", 1);
        assertThatThrownBy(() -> pd.send(n)).isInstanceOf(NotificationChannel.Rejected.class)
                .hasMessageContaining("HTTP 400");
        assertThatThrownBy(() -> pd.send(n)).isInstanceOf(DeliveryFailure.class).hasMessageContaining("HTTP 429");
    }
}
