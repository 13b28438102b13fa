package io.vigil.alerts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.alert.Alert;
import io.vigil.core.alert.CorrelationEngine.AlertStatus;
import io.vigil.core.alert.Matcher;
import io.vigil.core.alert.Silence;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Jackson set up for untrusted bodies (nesting, string, number and name lengths bounded, on top of the servlet's
 * body cap) and the JSON shapes of Alertmanager's API v2 models, field for field in its order.
 */
final class ApiJson {

    /** Deep enough for every shape the API takes (3 levels); a hostile body nested deeper is refused early. */
    static final int MAX_NESTING = 16;

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxNumberLength(64)
                    .maxStringLength(1 << 20)
                    .maxNameLength(1 << 16)
                    .build())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build());

    private ApiJson() {
    }

    /** Text from a request, shortened for an error message. */
    static String clip(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    /** Alertmanager's {@code gettableAlert}. */
    static ObjectNode alert(AlertStatus status, Instant updatedAt) {
        Alert alert = status.alert();
        ObjectNode node = MAPPER.createObjectNode();
        stringMap(node.putObject("annotations"), alert.annotations());
        // A firing alert held by the engine always has an end (its own or the resolve timeout).
        node.put("endsAt", ApiTime.format(alert.endsAt().orElse(alert.startsAt())));
        node.put("fingerprint", alert.fingerprint());
        ArrayNode receivers = node.putArray("receivers");
        for (String receiver : status.receivers()) {
            receivers.addObject().put("name", receiver);
        }
        node.put("startsAt", ApiTime.format(alert.startsAt()));
        ObjectNode st = node.putObject("status");
        ArrayNode inhibitedBy = st.putArray("inhibitedBy");
        status.inhibitedBy().forEach(inhibitedBy::add);
        // A symptom is muted by its incident's root: shown as inhibited by the root's fingerprint.
        status.symptomOf().ifPresent(incident -> inhibitedBy.add(incident.substring(0, incident.indexOf('@'))));
        ArrayNode silencedBy = st.putArray("silencedBy");
        status.silencedBy().forEach(silencedBy::add);
        st.put("state", status.suppressed() ? "suppressed" : "active");
        node.put("updatedAt", ApiTime.format(updatedAt));
        alert.generatorUrl().filter(url -> !url.isEmpty()).ifPresent(url -> node.put("generatorURL", url));
        stringMap(node.putObject("labels"), alert.labels());
        return node;
    }

    /** An alert without status (an incident's root or symptom). */
    static ObjectNode plainAlert(Alert alert) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("fingerprint", alert.fingerprint());
        stringMap(node.putObject("labels"), alert.labels());
        stringMap(node.putObject("annotations"), alert.annotations());
        node.put("startsAt", ApiTime.format(alert.startsAt()));
        alert.endsAt().ifPresent(end -> node.put("endsAt", ApiTime.format(end)));
        alert.generatorUrl().filter(url -> !url.isEmpty()).ifPresent(url -> node.put("generatorURL", url));
        return node;
    }

    /** Alertmanager's {@code gettableSilence}. */
    static ObjectNode silence(Silence silence, Instant updatedAt, Instant now) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", silence.id().orElse(""));
        node.putObject("status").put("state", silence.state(now).apiName());
        node.put("updatedAt", ApiTime.format(updatedAt));
        node.put("comment", silence.comment());
        node.put("createdBy", silence.createdBy());
        node.put("endsAt", ApiTime.format(silence.endsAt()));
        matchers(node.putArray("matchers"), silence.matchers());
        node.put("startsAt", ApiTime.format(silence.startsAt()));
        return node;
    }

    private static void matchers(ArrayNode out, List<Matcher> matchers) {
        for (Matcher m : matchers) {
            ObjectNode node = out.addObject();
            node.put("isEqual", m.type() == Matcher.Type.EQUAL || m.type() == Matcher.Type.REGEX);
            node.put("isRegex", m.type() == Matcher.Type.REGEX || m.type() == Matcher.Type.NOT_REGEX);
            node.put("name", m.name());
            node.put("value", m.value());
        }
    }

    static void stringMap(ObjectNode out, Map<String, String> map) {
        map.forEach(out::put);
    }

    /** A field of an object that must be a string, or {@code null} when absent or JSON null. */
    static String optionalString(JsonNode object, String field, String what) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiError.unparseable(what, "json: cannot unmarshal " + kind(value) + " into Go struct field "
                    + field + " of type string");
        }
        return value.textValue();
    }

    /** Go's name for a JSON value's kind, as in its decoding errors. */
    static String kind(JsonNode node) {
        if (node.isObject()) {
            return "object";
        }
        if (node.isArray()) {
            return "array";
        }
        if (node.isNumber()) {
            return "number";
        }
        if (node.isBoolean()) {
            return "bool";
        }
        return node.isTextual() ? "string" : "null";
    }
}
