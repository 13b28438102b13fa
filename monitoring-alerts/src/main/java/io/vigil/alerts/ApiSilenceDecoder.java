package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.alert.Matcher;
import io.vigil.core.alert.Silence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the body of {@code POST /api/v2/silences} (Alertmanager's {@code postableSilence}) into a silence, with
 * Alertmanager 0.25's checks and messages in its order: required fields (422), then times, then matchers (400).
 * Whether an id exists is the caller's check (404).
 */
final class ApiSilenceDecoder {

    private static final String WHAT = "silence";
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private ApiSilenceDecoder() {
    }

    /** The id the body names, or {@code null} for a new silence. */
    static String id(JsonNode body) {
        requireObject(body);
        String id = ApiJson.optionalString(body, "id", WHAT);
        return id == null || id.isEmpty() ? null : id;
    }

    static Silence decode(JsonNode body, ApiLimits limits, Instant now) {
        requireObject(body);
        JsonNode matchersNode = body.get("matchers");
        if (matchersNode == null || matchersNode.isNull()) {
            throw ApiError.required("matchers");
        }
        if (!matchersNode.isArray()) {
            throw ApiError.unparseable(WHAT, "json: cannot unmarshal " + ApiJson.kind(matchersNode)
                    + " into Go struct field PostableSilence.matchers of type models.Matchers");
        }
        if (matchersNode.isEmpty()) {
            throw ApiError.coded(422, 612, "matchers in body should have at least 1 items");
        }
        if (matchersNode.size() > limits.maxLabelsPerAlert()) {
            throw ApiError.badRequest("too many matchers: " + matchersNode.size() + " > " + limits.maxLabelsPerAlert());
        }
        for (String field : new String[] {"startsAt", "endsAt", "createdBy", "comment"}) {
            if (body.get(field) == null || body.get(field).isNull()) {
                throw ApiError.required(field);
            }
        }
        for (int i = 0; i < matchersNode.size(); i++) {
            JsonNode m = matchersNode.get(i);
            if (!m.isObject()) {
                throw ApiError.unparseable(WHAT, "json: cannot unmarshal " + ApiJson.kind(m)
                        + " into Go value of type models.Matcher");
            }
            for (String field : new String[] {"isRegex", "name", "value"}) {
                if (m.get(field) == null || m.get(field).isNull()) {
                    throw ApiError.required("matchers." + i + "." + field);
                }
            }
        }
        Instant startsAt = ApiTime.parse(ApiJson.optionalString(body, "startsAt", WHAT), WHAT);
        Instant endsAt = ApiTime.parse(ApiJson.optionalString(body, "endsAt", WHAT), WHAT);
        String createdBy = ApiJson.optionalString(body, "createdBy", WHAT);
        String comment = ApiJson.optionalString(body, "comment", WHAT);
        if (createdBy.length() > limits.maxLabelLength() || comment.length() > limits.maxAnnotationLength()) {
            throw ApiError.badRequest("createdBy or comment too long");
        }
        if (startsAt == null || endsAt == null) {
            throw ApiError.badRequest("silence invalid: invalid zero " + (startsAt == null ? "start" : "end")
                    + " timestamp");
        }
        if (startsAt.isAfter(endsAt)) {
            throw ApiError.badRequest("Failed to create silence: start time must be before end time");
        }
        if (endsAt.isBefore(now)) {
            throw ApiError.badRequest("Failed to create silence: end time can't be in the past");
        }
        List<Matcher> matchers = new ArrayList<>();
        for (int i = 0; i < matchersNode.size(); i++) {
            matchers.add(matcher(matchersNode.get(i), i, limits));
        }
        try {
            return Silence.builder().matcher(matchers.toArray(new Matcher[0])).startsAt(startsAt).endsAt(endsAt)
                    .createdBy(createdBy).comment(comment).build();
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("silence invalid: " + e.getMessage());
        }
    }

    private static Matcher matcher(JsonNode node, int index, ApiLimits limits) {
        JsonNode isRegex = node.get("isRegex");
        JsonNode isEqual = node.get("isEqual");
        if (!isRegex.isBoolean() || (isEqual != null && !isEqual.isNull() && !isEqual.isBoolean())) {
            throw ApiError.unparseable(WHAT, "json: cannot unmarshal into Go struct field Matcher.isRegex of type bool");
        }
        String name = ApiJson.optionalString(node, "name", WHAT);
        String value = ApiJson.optionalString(node, "value", WHAT);
        if (name.length() > limits.maxLabelLength() || !LABEL_NAME.matcher(name).matches()) {
            throw ApiError.badRequest("silence invalid: invalid label matcher " + index + ": invalid label name \""
                    + ApiJson.clip(name) + "\"");
        }
        if (value.length() > limits.maxLabelLength()) {
            throw ApiError.badRequest("silence invalid: invalid label matcher " + index + ": value longer than "
                    + limits.maxLabelLength() + " characters");
        }
        boolean equal = isEqual == null || isEqual.isNull() || isEqual.booleanValue();
        Matcher.Type type = isRegex.booleanValue() ? (equal ? Matcher.Type.REGEX : Matcher.Type.NOT_REGEX)
                : (equal ? Matcher.Type.EQUAL : Matcher.Type.NOT_EQUAL);
        try {
            return Matcher.of(type, name, value);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("silence invalid: invalid label matcher " + index + ": invalid regular expression \""
                    + ApiJson.clip(value) + "\": " + e.getMessage());
        }
    }

    private static void requireObject(JsonNode body) {
        if (!body.isObject()) {
            throw ApiError.unparseable(WHAT, "json: cannot unmarshal " + ApiJson.kind(body)
                    + " into Go value of type models.PostableSilence");
        }
    }
}
