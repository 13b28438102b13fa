package io.vigil.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Notifications as JSON: Alertmanager's webhook message, version 4, with its exact field names (the
 * {@code template.Data} fields — receiver, status, alerts, groupLabels, commonLabels, commonAnnotations,
 * externalURL — plus version, groupKey and truncatedAlerts), and the same object with Vigil's additions for the
 * durable store.
 *
 * <p>Alertmanager writes Go's zero time, {@code 0001-01-01T00:00:00Z}, as the {@code endsAt} of an alert that
 * has no end yet; so does this codec.
 */
final class NotificationJson {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String GO_ZERO_TIME = "0001-01-01T00:00:00Z";

    private NotificationJson() {
    }

    /** The webhook body as Alertmanager sends it; {@code maxAlerts} 0 sends all. */
    static ObjectNode webhookMessage(AlertNotification n, int maxAlerts) {
        List<AlertNotification.Alert> alerts = n.alerts();
        int truncated = 0;
        if (maxAlerts > 0 && alerts.size() > maxAlerts) {
            truncated = alerts.size() - maxAlerts;
            alerts = alerts.subList(0, maxAlerts);
        }
        ObjectNode root = MAPPER.createObjectNode();
        root.put("receiver", n.receiver());
        root.put("status", n.status().wireName());
        root.set("alerts", alerts(alerts));
        root.set("groupLabels", kv(n.groupLabels()));
        root.set("commonLabels", kv(n.commonLabels()));
        root.set("commonAnnotations", kv(n.commonAnnotations()));
        root.put("externalURL", n.externalUrl());
        root.put("version", "4");
        root.put("groupKey", n.groupKey());
        root.put("truncatedAlerts", truncated);
        if (n.root() != null) {
            // Vigil's addition, only when correlation found a root cause; receivers that ignore unknown
            // fields (Alertmanager's own consumers do) read the rest unchanged.
            ObjectNode incident = root.putObject("incident");
            incident.set("root", alert(n.root()));
            incident.set("symptoms", alerts(n.symptoms()));
        }
        return root;
    }

    /** The full notification for the store: the webhook message plus the idempotency key. */
    static String toStored(AlertNotification n) {
        ObjectNode node = webhookMessage(n, 0);
        node.put("idempotencyKey", n.idempotencyKey());
        return write(node);
    }

    static AlertNotification fromStored(String json) {
        try {
            return fromNode(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored notification is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static AlertNotification fromNode(JsonNode node) {
        AlertNotification.Builder b = AlertNotification.builder(node.path("receiver").asText(), node.path("groupKey").asText(),
                node.path("idempotencyKey").asText());
        b.groupLabels(map(node.path("groupLabels")));
        b.commonLabels(map(node.path("commonLabels")));
        b.commonAnnotations(map(node.path("commonAnnotations")));
        b.externalUrl(node.path("externalURL").asText(""));
        for (JsonNode alert : node.path("alerts")) {
            b.alert(alertFrom(alert));
        }
        JsonNode incident = node.path("incident");
        if (incident.isObject()) {
            List<AlertNotification.Alert> symptoms = new ArrayList<>();
            for (JsonNode alert : incident.path("symptoms")) {
                symptoms.add(alertFrom(alert));
            }
            b.incident(alertFrom(incident.path("root")), symptoms);
        }
        return b.build();
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String time(Instant at) {
        return at == null ? GO_ZERO_TIME : at.toString();
    }

    private static ArrayNode alerts(List<AlertNotification.Alert> alerts) {
        ArrayNode array = MAPPER.createArrayNode();
        for (AlertNotification.Alert alert : alerts) {
            array.add(alert(alert));
        }
        return array;
    }

    private static ObjectNode alert(AlertNotification.Alert a) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("status", a.status().wireName());
        node.set("labels", kv(a.labels()));
        node.set("annotations", kv(a.annotations()));
        node.put("startsAt", time(a.startsAt()));
        node.put("endsAt", time(a.endsAt()));
        node.put("generatorURL", a.generatorUrl());
        node.put("fingerprint", a.fingerprint());
        return node;
    }

    private static AlertNotification.Alert alertFrom(JsonNode node) {
        String endsAt = node.path("endsAt").asText(GO_ZERO_TIME);
        return AlertNotification.Alert.builder(AlertNotification.Status.fromWire(node.path("status").asText()),
                        node.path("fingerprint").asText())
                .labels(map(node.path("labels"))).annotations(map(node.path("annotations")))
                .startsAt(Instant.parse(node.path("startsAt").asText()))
                .endsAt(GO_ZERO_TIME.equals(endsAt) ? null : Instant.parse(endsAt))
                .generatorUrl(node.path("generatorURL").asText("")).build();
    }

    private static ObjectNode kv(Map<String, String> map) {
        ObjectNode node = MAPPER.createObjectNode();
        map.forEach(node::put);
        return node;
    }

    private static Map<String, String> map(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }
}
