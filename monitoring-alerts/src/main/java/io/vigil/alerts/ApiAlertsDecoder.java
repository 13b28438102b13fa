package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.alert.Alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the body of {@code POST /api/v2/alerts} (a JSON array of Alertmanager's {@code postableAlert}) into
 * alerts, validating the whole batch first: one bad alert refuses the request and nothing is taken (Alertmanager
 * takes the valid ones and reports the rest; a client that re-sends the batch gets the same answer either way).
 * Times get Alertmanager's defaults: no {@code startsAt} means now, or {@code endsAt} when only that is given; no
 * {@code endsAt} leaves the alert open-ended, so the engine applies {@code resolve_timeout}. Unknown fields are
 * ignored, as Alertmanager ignores them.
 */
final class ApiAlertsDecoder {

    private static final String WHAT = "alerts";
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private ApiAlertsDecoder() {
    }

    static List<Alert> decode(JsonNode body, ApiLimits limits, Instant now) {
        if (!body.isArray()) {
            throw ApiError.unparseable(WHAT, "json: cannot unmarshal " + ApiJson.kind(body)
                    + " into Go value of type models.PostableAlerts");
        }
        if (body.size() > limits.maxAlertsPerRequest()) {
            throw ApiError.badRequest("too many alerts in one request: " + body.size() + " > "
                    + limits.maxAlertsPerRequest());
        }
        List<Alert> alerts = new ArrayList<>(body.size());
        for (int i = 0; i < body.size(); i++) {
            alerts.add(decodeOne(body.get(i), i, limits, now));
        }
        return alerts;
    }

    private static Alert decodeOne(JsonNode node, int index, ApiLimits limits, Instant now) {
        if (!node.isObject()) {
            throw ApiError.unparseable(WHAT, "json: cannot unmarshal " + ApiJson.kind(node)
                    + " into Go value of type models.PostableAlert");
        }
        JsonNode labelsNode = node.get("labels");
        if (labelsNode == null || labelsNode.isNull()) {
            throw ApiError.required(index + ".labels");
        }
        Map<String, String> labels = stringMap(labelsNode, "labels", limits.maxLabelsPerAlert(), limits.maxLabelLength());
        if (labels.isEmpty()) {
            throw ApiError.badRequest("at least one label pair required");
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (label.getKey().length() > limits.maxLabelLength() || !LABEL_NAME.matcher(label.getKey()).matches()) {
                throw ApiError.badRequest("invalid label set: invalid name \"" + ApiJson.clip(label.getKey()) + "\"");
            }
        }
        JsonNode annotationsNode = node.get("annotations");
        Map<String, String> annotations = annotationsNode == null || annotationsNode.isNull() ? Map.of()
                : stringMap(annotationsNode, "annotations", limits.maxLabelsPerAlert(), limits.maxAnnotationLength());
        for (String name : annotations.keySet()) {
            if (!LABEL_NAME.matcher(name).matches()) {
                throw ApiError.badRequest("invalid annotations: invalid name \"" + ApiJson.clip(name) + "\"");
            }
        }
        String startsText = ApiJson.optionalString(node, "startsAt", WHAT);
        String endsText = ApiJson.optionalString(node, "endsAt", WHAT);
        String generatorUrl = ApiJson.optionalString(node, "generatorURL", WHAT);
        if (generatorUrl != null && generatorUrl.length() > limits.maxAnnotationLength()) {
            throw ApiError.badRequest("generatorURL longer than " + limits.maxAnnotationLength() + " characters");
        }
        Instant startsAt = startsText == null ? null : ApiTime.parse(startsText, WHAT);
        Instant endsAt = endsText == null ? null : ApiTime.parse(endsText, WHAT);
        if (startsAt == null) {
            startsAt = endsAt == null ? now : endsAt;
        }
        if (endsAt != null && endsAt.isBefore(startsAt)) {
            throw ApiError.badRequest("start time must be before end time");
        }
        try {
            return Alert.builder().labels(labels).annotations(annotations).startsAt(startsAt).endsAt(endsAt)
                    .generatorUrl(generatorUrl).build();
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private static Map<String, String> stringMap(JsonNode node, String field, int maxEntries, int maxValueLength) {
        if (!node.isObject()) {
            throw ApiError.unparseable(WHAT, "json: cannot unmarshal " + ApiJson.kind(node)
                    + " into Go struct field Alert." + field + " of type model.LabelSet");
        }
        if (node.size() > maxEntries) {
            throw ApiError.badRequest("too many " + field + ": " + node.size() + " > " + maxEntries);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            if (!value.isTextual()) {
                throw ApiError.unparseable(WHAT, "json: cannot unmarshal " + ApiJson.kind(value)
                        + " into Go struct field Alert." + field + " of type string");
            }
            if (value.textValue().length() > maxValueLength) {
                throw ApiError.badRequest("value of " + field + " \"" + ApiJson.clip(entry.getKey()) + "\" longer than "
                        + maxValueLength + " characters");
            }
            out.put(entry.getKey(), value.textValue());
        }
        return out;
    }
}
