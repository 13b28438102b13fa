package io.vigil.core.health;

import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Health as JSON, in the shapes existing tooling reads: Spring Boot Actuator's
 * ({@code {"status":"UP","components":{"db":{"status":"UP","details":{…}}}}}) and MicroProfile Health's
 * ({@code {"status":"UP","checks":[{"name":"db","status":"UP","data":{…}}]}}). MicroProfile knows only UP
 * and DOWN, so a report that is not serving is DOWN there and everything else UP.
 */
public final class HealthJson {

    private HealthJson() {
    }

    public static String actuator(HealthReport report, boolean showDetails) {
        StringBuilder out = new StringBuilder(256);
        out.append("{\"status\":");
        string(out, report.status().name());
        if (showDetails && !report.components().isEmpty()) {
            out.append(",\"components\":{");
            Iterator<Map.Entry<String, HealthResult>> it = report.components().entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, HealthResult> component = it.next();
                string(out, component.getKey());
                out.append(':');
                actuatorResult(out, component.getValue(), true);
                if (it.hasNext()) {
                    out.append(',');
                }
            }
            out.append('}');
        }
        return out.append('}').toString();
    }

    public static String actuator(HealthResult result, boolean showDetails) {
        StringBuilder out = new StringBuilder(128);
        actuatorResult(out, result, showDetails);
        return out.toString();
    }

    public static String microProfile(HealthReport report) {
        StringBuilder out = new StringBuilder(256);
        out.append("{\"status\":");
        string(out, microProfileStatus(report.status()));
        out.append(",\"checks\":[");
        Iterator<Map.Entry<String, HealthResult>> it = report.components().entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, HealthResult> check = it.next();
            out.append("{\"name\":");
            string(out, check.getKey());
            out.append(",\"status\":");
            string(out, microProfileStatus(check.getValue().status()));
            out.append(",\"data\":");
            value(out, dataOf(check.getValue()));
            out.append('}');
            if (it.hasNext()) {
                out.append(',');
            }
        }
        return out.append("]}").toString();
    }

    private static void actuatorResult(StringBuilder out, HealthResult result, boolean showDetails) {
        out.append("{\"status\":");
        string(out, result.status().name());
        if (showDetails) {
            Map<String, Object> details = dataOf(result);
            if (!details.isEmpty()) {
                out.append(",\"details\":");
                value(out, details);
            }
        }
        out.append('}');
    }

    private static Map<String, Object> dataOf(HealthResult result) {
        if (result.duration() == null) {
            return result.details();
        }
        Map<String, Object> data = new java.util.LinkedHashMap<>(result.details());
        data.put("durationMs", result.duration().toNanos() / 1_000_000.0);
        if (result.checkedAt() != null) {
            data.put("checkedAt", result.checkedAt().toString());
        }
        return data;
    }

    private static String microProfileStatus(HealthStatus status) {
        return status.isServing() ? "UP" : "DOWN";
    }

    private static void value(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Number) {
            Number number = (Number) value;
            double asDouble = number.doubleValue();
            if (Double.isNaN(asDouble) || Double.isInfinite(asDouble)) {
                string(out, number.toString());
            } else {
                out.append(number);
            }
        } else if (value instanceof Map) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = ((Map<?, ?>) value).entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> entry = it.next();
                string(out, String.valueOf(entry.getKey()));
                out.append(':');
                value(out, entry.getValue());
                if (it.hasNext()) {
                    out.append(',');
                }
            }
            out.append('}');
        } else if (value instanceof Collection) {
            out.append('[');
            Iterator<?> it = ((Collection<?>) value).iterator();
            while (it.hasNext()) {
                value(out, it.next());
                if (it.hasNext()) {
                    out.append(',');
                }
            }
            out.append(']');
        } else if (value instanceof Duration) {
            out.append(((Duration) value).toNanos() / 1_000_000.0);
        } else {
            string(out, value.toString());
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
