package io.vigil.alerts;

import io.vigil.core.alert.Matcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The query parameters of Alertmanager's list endpoints: {@code filter} (repeatable, each one or more matchers in
 * Alertmanager's syntax), the state switches {@code active}, {@code silenced}, {@code inhibited} and
 * {@code unprocessed} (default true), and {@code receiver}, an anchored RE2 expression. Matchers are RE2 (linear
 * time, no backtracking); their count and length are capped.
 */
record ApiQuery(List<Matcher> filter, boolean active, boolean silenced, boolean inhibited, boolean unprocessed,
                Matcher receiver) {

    static ApiQuery parse(Map<String, String[]> params, ApiLimits limits) {
        List<Matcher> matchers = new ArrayList<>();
        String[] filters = params.getOrDefault("filter", new String[0]);
        if (filters.length > limits.maxFilters()) {
            throw ApiError.badRequest("too many filters: " + filters.length + " > " + limits.maxFilters());
        }
        for (String filter : filters) {
            if (filter.length() > limits.maxLabelLength()) {
                throw ApiError.badRequest("filter longer than " + limits.maxLabelLength() + " characters");
            }
            List<Matcher> parsed;
            try {
                parsed = Matcher.parseList(filter);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(e.getMessage());
            }
            // Alertmanager refuses a lone brace; core's parser reads it as no matchers.
            String trimmed = filter.trim();
            if (parsed.isEmpty() && !trimmed.isEmpty() && !trimmed.equals("{}")) {
                throw ApiError.badRequest("bad matcher format: " + ApiJson.clip(filter));
            }
            matchers.addAll(parsed);
        }
        if (matchers.size() > limits.maxFilters()) {
            throw ApiError.badRequest("too many matchers: " + matchers.size() + " > " + limits.maxFilters());
        }
        Matcher receiver = null;
        String receiverText = first(params, "receiver");
        if (receiverText != null && !receiverText.isEmpty()) {
            if (receiverText.length() > limits.maxLabelLength()) {
                throw ApiError.badRequest("receiver longer than " + limits.maxLabelLength() + " characters");
            }
            try {
                // A matcher, so that core's bound on nested repetitions applies to this pattern too.
                receiver = Matcher.regex("receiver", receiverText);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("failed to parse receiver param: " + e.getMessage());
            }
        }
        return new ApiQuery(List.copyOf(matchers), bool(params, "active"), bool(params, "silenced"),
                bool(params, "inhibited"), bool(params, "unprocessed"), receiver);
    }

    boolean receiverMatches(List<String> receivers) {
        if (receiver == null) {
            return true;
        }
        for (String name : receivers) {
            if (receiver.matches(name)) {
                return true;
            }
        }
        return false;
    }

    boolean labelsMatch(Map<String, String> labels) {
        for (Matcher m : filter) {
            if (!m.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    private static boolean bool(Map<String, String[]> params, String name) {
        String value = first(params, name);
        if (value == null || value.isEmpty()) {
            return true;
        }
        return switch (value) {
            case "true", "1", "t", "T", "TRUE", "True" -> true;
            case "false", "0", "f", "F", "FALSE", "False" -> false;
            default -> throw ApiError.badRequest(name + ": invalid boolean \"" + ApiJson.clip(value) + "\"");
        };
    }

    private static String first(Map<String, String[]> params, String name) {
        String[] values = params.get(name);
        return values == null || values.length == 0 ? null : values[0];
    }
}
