package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.alert.Alert;
import io.vigil.core.alert.CorrelationEngine;
import io.vigil.core.alert.Incident;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Vigil's own endpoints over incidents: the engine's open incidents (root and symptoms), the notifications the
 * API saw for each, its escalation as the {@link AlertManager} holds it (when one is configured) and
 * acknowledgement. An incident's escalation key is {@code receiver/groupKey} of every aggregation group that
 * holds its root alert; acknowledging the incident acknowledges all of them.
 */
final class ApiIncidents {

    private final CorrelationEngine engine;
    private final AlertManager manager;
    private final IncidentLog log;

    ApiIncidents(CorrelationEngine engine, AlertManager manager, IncidentLog log) {
        this.engine = engine;
        this.manager = manager;
        this.log = log;
    }

    JsonNode list(Instant now) {
        ArrayNode out = ApiJson.MAPPER.createArrayNode();
        Map<String, EscalationState> escalations = escalations();
        List<CorrelationEngine.Group> groups = engine.groups();
        for (Incident incident : engine.incidents(now)) {
            out.add(render(incident, groups, escalations, false));
        }
        return out;
    }

    JsonNode get(String id, Instant now) {
        Incident incident = find(id, now);
        return render(incident, engine.groups(), escalations(), true);
    }

    JsonNode acknowledge(String id, JsonNode body, Instant now) {
        String by = "";
        if (body != null) {
            if (!body.isObject()) {
                throw ApiError.unparseable("acknowledgement", "expected an object like {\"by\":\"alice\"}");
            }
            for (Map.Entry<String, JsonNode> field : body.properties()) {
                if (!field.getKey().equals("by")) {
                    throw ApiError.badRequest("unknown field \"" + ApiJson.clip(field.getKey()) + "\"");
                }
            }
            String given = ApiJson.optionalString(body, "by", "acknowledgement");
            by = given == null ? "" : given;
            if (by.length() > 256) {
                throw ApiError.badRequest("by longer than 256 characters");
            }
        }
        Incident incident = find(id, now);
        for (String key : escalationKeys(incident.root(), engine.groups())) {
            if (manager != null) {
                manager.acknowledge(key, by);
            }
        }
        log.acknowledge(incident.id(), by, now);
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("id", incident.id());
        out.put("acknowledgedBy", by);
        out.put("acknowledgedAt", ApiTime.format(now));
        return out;
    }

    private Incident find(String id, Instant now) {
        for (Incident incident : engine.incidents(now)) {
            if (incident.id().equals(id)) {
                return incident;
            }
        }
        throw ApiError.plain(404, "incident not found");
    }

    private ObjectNode render(Incident incident, List<CorrelationEngine.Group> groups,
                              Map<String, EscalationState> escalations, boolean detail) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("id", incident.id());
        node.put("startsAt", ApiTime.format(incident.startsAt()));
        node.set("root", ApiJson.plainAlert(incident.root()));
        ArrayNode symptoms = node.putArray("symptoms");
        for (Alert symptom : incident.symptoms()) {
            symptoms.add(ApiJson.plainAlert(symptom));
        }
        Optional<IncidentLog.Ack> ack = log.ackOf(incident.id());
        node.put("acknowledged", ack.isPresent());
        ack.ifPresent(a -> {
            node.put("acknowledgedBy", a.by());
            node.put("acknowledgedAt", ApiTime.format(a.at()));
        });
        ArrayNode escalation = node.putArray("escalation");
        int level = -1;
        for (String key : escalationKeys(incident.root(), groups)) {
            EscalationState state = escalations.get(key);
            ObjectNode e = escalation.addObject();
            e.put("key", key);
            if (state != null) {
                e.put("level", state.level());
                e.put("repeats", state.repeats());
                e.put("acknowledged", state.acknowledged());
                if (state.nextAt() != null) {
                    e.put("nextAt", ApiTime.format(state.nextAt()));
                }
                level = Math.max(level, state.level());
            }
        }
        node.put("escalationLevel", level);
        List<IncidentLog.Entry> sent = log.notificationsOf(incident.id());
        node.put("notificationCount", sent.size());
        if (detail) {
            ArrayNode notifications = node.putArray("notifications");
            for (IncidentLog.Entry entry : sent) {
                ObjectNode n = notifications.addObject();
                n.put("receiver", entry.receiver());
                n.put("groupKey", entry.groupKey());
                n.put("sequence", entry.sequence());
                n.put("at", ApiTime.format(entry.at()));
                n.put("idempotencyKey", entry.idempotencyKey());
                n.put("resolved", entry.resolved());
                n.put("symptoms", entry.symptoms());
            }
        }
        return node;
    }

    private static Set<String> escalationKeys(Alert root, List<CorrelationEngine.Group> groups) {
        Set<String> keys = new LinkedHashSet<>();
        for (CorrelationEngine.Group group : groups) {
            for (Alert alert : group.alerts()) {
                if (alert.fingerprintBits() == root.fingerprintBits()) {
                    keys.add(group.receiver() + "/" + group.groupKey());
                    break;
                }
            }
        }
        return keys;
    }

    private Map<String, EscalationState> escalations() {
        if (manager == null) {
            return Map.of();
        }
        Map<String, EscalationState> out = new java.util.HashMap<>();
        for (EscalationState state : new ArrayList<>(manager.openIncidents())) {
            out.put(state.incidentKey(), state);
        }
        return out;
    }
}
