package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.alert.Alert;
import io.vigil.core.alert.CorrelationEngine;
import io.vigil.core.alert.CorrelationEngine.AlertStatus;
import io.vigil.core.health.HealthReport;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The status page at the servlet's root: health checks, incidents (root, symptoms, escalation level, an acknowledge
 * button) and firing alerts, rendered on the server as one HTML document — no script at all, so a strict
 * Content-Security-Policy ({@code default-src 'none'}) holds and the page works where JavaScript is off.
 *
 * <p>It reads only what the JSON API reads ({@link ApiIncidents}, {@link CorrelationEngine#alerts}, a
 * {@link HealthSource}) and acknowledges through {@link ApiIncidents#acknowledge}, so page and API cannot disagree.
 * Every label, annotation, check name and incident id is untrusted (Prometheus forwards whatever its targets send)
 * and goes through {@link #escape}.
 *
 * <p>The acknowledge button is an HTML form, which cannot carry the API's bearer header, so the form proves itself
 * another way. Against cross-site request forgery: each form carries an HMAC of the incident id under a key drawn
 * when the servlet is built (a page on another origin cannot read ours, so it cannot know it), and a POST a browser
 * labels {@code Sec-Fetch-Site: cross-site} is refused. When the servlet has a write token the form asks for it
 * (a password field, compared as the bearer token is; a proxy may add the bearer header instead).
 */
final class StatusPage {

    /** Where the page's acknowledge forms post, relative to the servlet's mount. */
    static final String ACK_PATH = "/status/ack";

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
            header{background:#1d2330;color:#fff;padding:14px 24px;display:flex;gap:24px;align-items:baseline}
            header h1{font-size:20px;margin:0}header span{color:#b8c0d0}
            main{padding:16px 24px;max-width:1200px}
            h2{font-size:16px;margin:22px 0 8px}
            table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.08)}
            th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e3e6ec;vertical-align:top}
            th{background:#eceff4;font-weight:600}
            .badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;background:#6b7280}
            .UP,.resolved{background:#2e9d5b}.DOWN,.critical,.page{background:#c9302c}.DEGRADED,.warning{background:#d98c00}
            .OUT_OF_SERVICE,.UNKNOWN,.info{background:#6b7280}.suppressed{background:#8b95a7}.acked{background:#3a6fd8}
            .label{display:inline-block;margin:1px 3px 1px 0;padding:0 5px;border-radius:3px;background:#eef1f6;font:12px ui-monospace,monospace;word-break:break-all}
            .incident{background:#fff;border-left:5px solid #c9302c;padding:10px 14px;margin:0 0 12px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
            .incident.acknowledged{border-left-color:#3a6fd8}
            .incident h3{margin:0 0 6px;font-size:15px}.muted{color:#6b7280}
            .incident ul{margin:4px 0 8px;padding-left:20px}
            form{display:flex;gap:8px;align-items:center;margin-top:6px}
            input{padding:4px 6px;border:1px solid #c5cad3;border-radius:4px}
            button{padding:5px 14px;border:0;border-radius:4px;background:#1d2330;color:#fff;font-weight:600;cursor:pointer}
            .empty{background:#fff;padding:10px 14px;color:#6b7280}
            """;

    /** The only style the page has, allowed by its hash: no inline script or style can run beside it. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'sha256-" + sha256(CSS)
            + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final CorrelationEngine engine;
    private final ApiIncidents incidents;
    private final HealthSource health;
    private final boolean asksForToken;
    private final SecretKeySpec formKey;

    StatusPage(CorrelationEngine engine, ApiIncidents incidents, HealthSource health, boolean asksForToken) {
        this.engine = engine;
        this.incidents = incidents;
        this.health = health;
        this.asksForToken = asksForToken;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.formKey = new SecretKeySpec(key, "HmacSHA256");
    }

    /** Whether {@code method path} is the page itself: GET or HEAD of the mount's root. */
    static boolean isPage(String method, String path) {
        return (method.equals("GET") || method.equals("HEAD")) && (path == null || path.isEmpty() || path.equals("/"));
    }

    /** Whether {@code method path} is an acknowledge form's POST. */
    static boolean isAcknowledgement(String method, String path) {
        return method.equals("POST") && ACK_PATH.equals(path);
    }

    /**
     * The whole page. {@code base} is the mount path as the browser sees it (context + servlet path), used for the
     * forms' action so the page works under any mount.
     */
    String render(Instant now, String base) {
        StringBuilder html = new StringBuilder(8192);
        List<AlertStatus> firing = new ArrayList<>();
        for (AlertStatus status : engine.alerts(now)) {
            if (!status.resolved()) {
                firing.add(status);
            }
        }
        firing.sort(Comparator.comparing((AlertStatus s) -> s.alert().startsAt()).reversed());
        JsonNode open = incidents.list(now);

        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                // No script: the page reloads itself every 30 s.
                .append("<meta http-equiv=\"refresh\" content=\"30\">")
                .append("<title>Vigil status</title><style>").append(CSS).append("</style></head><body>\n")
                .append("<header><h1>Vigil status</h1><span id=\"summary\">").append(open.size())
                .append(open.size() == 1 ? " open incident, " : " open incidents, ").append(firing.size())
                .append(firing.size() == 1 ? " firing alert" : " firing alerts").append("</span><span>")
                .append(escape(now.truncatedTo(ChronoUnit.SECONDS).toString())).append("</span></header>\n<main>\n");
        if (health != null) {
            health(html);
        }
        incidents(html, open, base);
        alerts(html, firing);
        html.append("</main></body></html>\n");
        return html.toString();
    }

    private void health(StringBuilder html) {
        HealthReport report = health.health();
        html.append("<section id=\"health\"><h2>Health <span class=\"badge ").append(report.status().name())
                .append("\">").append(report.status().name()).append("</span></h2>");
        if (report.components().isEmpty()) {
            html.append("<div class=\"empty\">No health checks.</div></section>\n");
            return;
        }
        // Names and status only: a check's details (error messages, host names) are for the token-protected
        // /health endpoint, not for a page that may be open to whoever reaches the alerts API.
        html.append("<table><thead><tr><th>check</th><th>status</th><th>duration</th><th>checked</th></tr></thead>"
                + "<tbody>");
        for (Map.Entry<String, HealthResult> check : report.components().entrySet()) {
            HealthResult result = check.getValue();
            html.append("<tr data-check=\"").append(escape(check.getKey())).append("\"><td>")
                    .append(escape(check.getKey())).append("</td><td><span class=\"badge ")
                    .append(result.status().name()).append("\">").append(result.status().name())
                    .append("</span></td><td>").append(millis(result.duration())).append("</td><td>")
                    .append(result.checkedAt() == null ? "never"
                            : escape(result.checkedAt().truncatedTo(ChronoUnit.SECONDS).toString()))
                    .append("</td></tr>");
        }
        html.append("</tbody></table></section>\n");
    }

    private void incidents(StringBuilder html, JsonNode open, String base) {
        html.append("<section id=\"incidents\"><h2>Incidents</h2>");
        if (open.isEmpty()) {
            html.append("<div class=\"empty\">No open incidents.</div>");
        }
        for (JsonNode incident : open) {
            String id = incident.path("id").asText();
            boolean acknowledged = incident.path("acknowledged").asBoolean();
            JsonNode root = incident.path("root");
            html.append("<article class=\"incident").append(acknowledged ? " acknowledged" : "")
                    .append("\" data-incident=\"").append(escape(id)).append("\"><h3>")
                    .append(escape(root.path("labels").path("alertname").asText("(no alertname)")))
                    .append(" <span class=\"muted\">since ").append(escape(incident.path("startsAt").asText()))
                    .append("</span></h3>");
            html.append("<div class=\"root\"><b>Root:</b> ").append(labels(root.path("labels")));
            summary(html, root);
            html.append("</div>");
            JsonNode symptoms = incident.path("symptoms");
            html.append("<div><b>Symptoms (").append(symptoms.size()).append("):</b>");
            if (symptoms.isEmpty()) {
                html.append(" <span class=\"muted\">none</span></div>");
            } else {
                html.append("<ul class=\"symptoms\">");
                for (JsonNode symptom : symptoms) {
                    html.append("<li>").append(labels(symptom.path("labels")));
                    summary(html, symptom);
                    html.append("</li>");
                }
                html.append("</ul></div>");
            }
            int level = incident.path("escalationLevel").asInt(-1);
            html.append("<div class=\"escalation\"><b>Escalation level:</b> ")
                    .append(level < 0 ? "<span class=\"muted\">none (not escalating)</span>" : String.valueOf(level))
                    .append(" · <b>notifications:</b> ").append(incident.path("notificationCount").asInt())
                    .append("</div>");
            if (acknowledged) {
                String by = incident.path("acknowledgedBy").asText();
                html.append("<div class=\"ack\"><span class=\"badge acked\">acknowledged</span> ")
                        .append(by.isEmpty() ? "" : "by " + escape(by) + " ").append("at ")
                        .append(escape(incident.path("acknowledgedAt").asText())).append("</div>");
            } else {
                html.append("<form method=\"post\" action=\"").append(escape(base + ACK_PATH)).append("\">")
                        .append("<input type=\"hidden\" name=\"incident\" value=\"").append(escape(id)).append("\">")
                        .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(formToken(id)).append("\">")
                        .append("<input name=\"by\" maxlength=\"256\" placeholder=\"your name\" aria-label=\"your name\">");
                if (asksForToken) {
                    html.append("<input type=\"password\" name=\"token\" placeholder=\"write token\" "
                            + "aria-label=\"write token\" autocomplete=\"off\">");
                }
                html.append("<button type=\"submit\">Acknowledge</button></form>");
            }
            html.append("</article>");
        }
        html.append("</section>\n");
    }

    private static void alerts(StringBuilder html, List<AlertStatus> firing) {
        html.append("<section id=\"alerts\"><h2>Firing alerts</h2>");
        if (firing.isEmpty()) {
            html.append("<div class=\"empty\">No firing alerts.</div></section>\n");
            return;
        }
        html.append("<table><thead><tr><th>alert</th><th>severity</th><th>state</th><th>labels</th><th>summary</th>"
                + "<th>since</th></tr></thead><tbody>");
        for (AlertStatus status : firing) {
            Alert alert = status.alert();
            String severity = alert.labels().getOrDefault("severity", "");
            String state = status.symptomOf().map(id -> "symptom")
                    .orElse(!status.silencedBy().isEmpty() ? "silenced"
                            : !status.inhibitedBy().isEmpty() ? "inhibited" : "active");
            html.append("<tr><td>").append(escape(alert.name())).append("</td><td>");
            if (!severity.isEmpty()) {
                html.append("<span class=\"badge ").append(cssClass(severity)).append("\">").append(escape(severity))
                        .append("</span>");
            }
            html.append("</td><td><span class=\"badge ").append(state.equals("active") ? "critical" : "suppressed")
                    .append("\">").append(state).append("</span></td><td>");
            alert.labels().forEach((name, value) -> {
                if (!name.equals("alertname") && !name.equals("severity")) {
                    html.append(label(name, value));
                }
            });
            html.append("</td><td>").append(escape(alert.annotations().getOrDefault("summary", "")))
                    .append("</td><td>").append(escape(alert.startsAt().truncatedTo(ChronoUnit.SECONDS).toString()))
                    .append("</td></tr>");
        }
        html.append("</tbody></table></section>\n");
    }

    private static String labels(JsonNode labels) {
        StringBuilder out = new StringBuilder();
        labels.properties().forEach(e -> out.append(label(e.getKey(), e.getValue().asText())));
        return out.toString();
    }

    private static String label(String name, String value) {
        return "<span class=\"label\">" + escape(name) + "=\"" + escape(value) + "\"</span>";
    }

    private static void summary(StringBuilder html, JsonNode alert) {
        String summary = alert.path("annotations").path("summary").asText("");
        if (!summary.isEmpty()) {
            html.append(" <span class=\"muted\">").append(escape(summary)).append("</span>");
        }
    }

    /** Only known severities become a CSS class; anything else gets the neutral one. */
    private static String cssClass(String severity) {
        return switch (severity) {
            case "critical", "page", "warning", "info" -> severity;
            default -> "UNKNOWN";
        };
    }

    private static String millis(Duration duration) {
        return duration == null ? "" : duration.toMillis() + " ms";
    }

    /** Acknowledges as {@code POST /api/vigil/incidents/{id}/ack} does; {@link ApiError} 404 when not open. */
    void acknowledge(String incidentId, JsonNode body, Instant now) {
        incidents.acknowledge(incidentId, body, now);
    }

    /** The form token of one incident: HMAC-SHA256 of its id under this page's key, base64url. */
    String formToken(String incidentId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(formKey);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(incidentId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has HmacSHA256", e);
        }
    }

    /** Whether {@code token} is the form token of {@code incidentId}, compared in constant time. */
    boolean validFormToken(String incidentId, String token) {
        return incidentId != null && token != null && MessageDigest.isEqual(
                formToken(incidentId).getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.UTF_8));
    }

    /** A small HTML page for a refused or failed acknowledgement, with a way back. */
    static String message(String text, String base) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Vigil status</title></head>"
                + "<body><p id=\"message\">" + escape(text) + "</p><p><a href=\"" + escape(base + "/")
                + "\">Back to the status page</a></p></body></html>\n";
    }

    /** HTML-escapes text for element content and double- or single-quoted attribute values. */
    static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (replacement != null) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(replacement);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
