package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.alert.Matcher;
import io.vigil.core.alert.Silence;

import java.time.Instant;

/** Core's {@link Silence} as the store keeps it: matchers in Alertmanager's syntax, times as ISO-8601. */
final class SilenceJson {

    private SilenceJson() {
    }

    static SilenceRecord toRecord(Silence s) {
        String id = s.id().orElseThrow(() -> new IllegalArgumentException(
                "a silence needs an id to be stored (CorrelationEngine.addSilence assigns one)"));
        ObjectNode node = NotificationJson.MAPPER.createObjectNode();
        node.put("id", id);
        var matchers = node.putArray("matchers");
        for (Matcher m : s.matchers()) {
            matchers.add(m.toString());
        }
        node.put("startsAt", s.startsAt().toString());
        node.put("endsAt", s.endsAt().toString());
        node.put("createdBy", s.createdBy());
        node.put("comment", s.comment());
        return new SilenceRecord(id, NotificationJson.write(node), s.endsAt());
    }

    static Silence fromRecord(SilenceRecord r) {
        JsonNode node = EscalationState.readTree(r.json());
        Silence.Builder b = Silence.builder().id(node.path("id").asText())
                .startsAt(Instant.parse(node.path("startsAt").asText()))
                .endsAt(Instant.parse(node.path("endsAt").asText()))
                .createdBy(node.path("createdBy").asText()).comment(node.path("comment").asText(""));
        for (JsonNode m : node.path("matchers")) {
            b.matcher(Matcher.parse(m.asText()));
        }
        return b.build();
    }
}
