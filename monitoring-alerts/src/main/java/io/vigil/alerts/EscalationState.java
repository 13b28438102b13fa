package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * Where one incident's escalation stands: the highest level notified so far ({@code -1} before the first), how
 * many re-notifications went out at the top level, when the next step is due ({@code null}: never), and whether
 * someone acknowledged it. {@code baseKey} is the idempotency key of the notification that opened the incident:
 * every step's key derives from it, so a step repeated after a crash carries the same key and is dropped as a
 * duplicate by the notification log.
 */
record EscalationState(String incidentKey, String receiver, String baseKey, AlertNotification notification, int level,
        int repeats, Instant startedAt, Instant nextAt, boolean acknowledged) {

    EscalationState withNotification(AlertNotification n) {
        return new EscalationState(incidentKey, receiver, baseKey, n, level, repeats, startedAt, nextAt, acknowledged);
    }

    EscalationState advanced(int newLevel, int newRepeats, Instant newNextAt) {
        return new EscalationState(incidentKey, receiver, baseKey, notification, newLevel, newRepeats, startedAt,
                newNextAt, acknowledged);
    }

    EscalationState acknowledge() {
        return new EscalationState(incidentKey, receiver, baseKey, notification, level, repeats, startedAt, nextAt,
                true);
    }

    ObjectNode toJson() {
        ObjectNode node = NotificationJson.MAPPER.createObjectNode();
        node.put("incidentKey", incidentKey);
        node.put("receiver", receiver);
        node.put("baseKey", baseKey);
        node.put("level", level);
        node.put("repeats", repeats);
        node.put("startedAt", startedAt.toString());
        if (nextAt != null) {
            node.put("nextAt", nextAt.toString());
        }
        node.put("acknowledged", acknowledged);
        node.set("notification", readTree(NotificationJson.toStored(notification)));
        return node;
    }

    static EscalationState fromJson(JsonNode node) {
        JsonNode next = node.get("nextAt");
        return new EscalationState(node.path("incidentKey").asText(), node.path("receiver").asText(),
                node.path("baseKey").asText(), NotificationJson.fromNode(node.path("notification")),
                node.path("level").asInt(), node.path("repeats").asInt(),
                Instant.parse(node.path("startedAt").asText()),
                next == null || next.isNull() ? null : Instant.parse(next.asText()),
                node.path("acknowledged").asBoolean());
    }

    static JsonNode readTree(String json) {
        try {
            return NotificationJson.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
