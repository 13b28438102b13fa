package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A refused request, carrying the status and body Alertmanager 0.25 answers with: its handlers' errors are a bare
 * JSON string ({@code "bad matcher format: foo"}); its OpenAPI layer's errors (body not parseable, a required
 * field missing) are {@code {"code":N,"message":"..."}}. Thrown inside request handling only, never escapes
 * the servlet.
 */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient JsonNode body;

    private ApiError(int status, JsonNode body, String message) {
        super(message, null, false, false);
        this.status = status;
        this.body = body;
    }

    /** A handler's error: {@code status} with the message as a JSON string. */
    static ApiError plain(int status, String message) {
        return new ApiError(status, JsonNodeFactory.instance.textNode(message), message);
    }

    static ApiError badRequest(String message) {
        return plain(400, message);
    }

    /** The OpenAPI layer's error object, e.g. 400 with code 400 for an unparseable body, 422 with code 602. */
    static ApiError coded(int status, int code, String message) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("code", code);
        node.put("message", message);
        return new ApiError(status, node, message);
    }

    /** Alertmanager's answer to a body it cannot decode. */
    static ApiError unparseable(String what, String reason) {
        return coded(400, 400, "parsing " + what + " body from \"\" failed, because " + reason);
    }

    /** Alertmanager's answer to a missing required field ({@code 0.labels in body is required}). */
    static ApiError required(String field) {
        return coded(422, 602, field + " in body is required");
    }

    /** Whether it is the OpenAPI layer's error object, which Alertmanager writes without a trailing newline. */
    boolean coded() {
        return body.isObject();
    }

    int status() {
        return status;
    }

    JsonNode body() {
        return body;
    }
}
