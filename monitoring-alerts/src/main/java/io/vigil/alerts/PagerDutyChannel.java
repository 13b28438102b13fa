package io.vigil.alerts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * PagerDuty Events API v2: {@code trigger} while firing, {@code resolve} once resolved, both under the same
 * {@code dedup_key} — the SHA-256 (hex) of the group key, as Alertmanager derives it — so PagerDuty folds
 * repeats and escalations into one incident and a resolve closes it. Fields as PagerDuty documents them:
 * {@code routing_key}, {@code event_action}, {@code dedup_key}, {@code payload.summary} (≤ 1024 characters),
 * {@code payload.source}, {@code payload.severity} (critical, error, warning, info), {@code payload.timestamp},
 * {@code payload.component}, {@code payload.group}, {@code payload.class}, {@code payload.custom_details},
 * {@code client}, {@code client_url}, {@code links}.
 */
final class PagerDutyChannel implements NotificationChannel {

    static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");
    static final int MAX_SUMMARY = 1024;
    static final int MAX_LINKS = 10;

    private final String name;
    private final Secret routingKey;
    private final String source;
    private final String defaultSeverity;
    private final String client;
    private final Duration timeout;
    private final HttpPoster poster;

    PagerDutyChannel(NotificationChannel.PagerDutyBuilder b) {
        this.name = b.name;
        this.routingKey = b.routingKey;
        this.source = b.source;
        this.defaultSeverity = b.defaultSeverity;
        this.client = b.client;
        this.timeout = b.timeout;
        this.poster = new HttpPoster(name, b.url, b.timeout, routingKey);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration timeout() {
        return timeout.plusSeconds(1);
    }

    @Override
    public void send(AlertNotification n) throws Exception {
        byte[] body = NotificationJson.write(event(n, routingKey.reveal())).getBytes(StandardCharsets.UTF_8);
        poster.post(body, Map.of(WebhookChannel.IDEMPOTENCY_HEADER, n.idempotencyKey()));
    }

    /** The stable dedup key of a group: lower-case hex SHA-256 of its group key (64 characters ≤ 255). */
    static String dedupKey(String groupKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(groupKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    ObjectNode event(AlertNotification n, String key) {
        ObjectNode event = NotificationJson.MAPPER.createObjectNode();
        event.put("routing_key", key);
        boolean firing = n.status() == AlertNotification.Status.FIRING;
        event.put("event_action", firing ? "trigger" : "resolve");
        event.put("dedup_key", dedupKey(n.groupKey()));
        if (!firing) {
            return event; // PagerDuty needs nothing else to resolve
        }
        ObjectNode payload = event.putObject("payload");
        payload.put("summary", MessageText.truncate(MessageText.title(n), MAX_SUMMARY));
        payload.put("source", n.commonLabels().getOrDefault("instance", source));
        String severity = n.commonLabels().getOrDefault("severity", "").toLowerCase(java.util.Locale.ROOT);
        payload.put("severity", SEVERITIES.contains(severity) ? severity : defaultSeverity);
        Instant earliest = n.alerts().stream().map(AlertNotification.Alert::startsAt).min(Instant::compareTo)
                .orElseThrow();
        payload.put("timestamp", earliest.toString());
        putIfPresent(payload, "component", n.commonLabels().get("service"));
        putIfPresent(payload, "group", n.commonLabels().get("job"));
        putIfPresent(payload, "class", n.commonLabels().get("alertname"));
        ObjectNode details = payload.putObject("custom_details");
        details.put("firing", MessageText.body(n));
        details.put("num_firing", n.alerts().stream().filter(a -> a.status() == AlertNotification.Status.FIRING).count());
        details.put("num_resolved", n.alerts().stream().filter(a -> a.status() == AlertNotification.Status.RESOLVED).count());
        details.put("idempotency_key", n.idempotencyKey());
        if (n.root() != null) {
            details.put("root_cause", MessageText.describe(n.root().labels()));
            ArrayNode symptoms = details.putArray("symptoms");
            n.symptoms().forEach(s -> symptoms.add(MessageText.describe(s.labels())));
        }
        event.put("client", client);
        if (!n.externalUrl().isEmpty()) {
            event.put("client_url", n.externalUrl());
        }
        ArrayNode links = NotificationJson.MAPPER.createArrayNode();
        for (AlertNotification.Alert a : n.alerts()) {
            if (!a.generatorUrl().isEmpty() && links.size() < MAX_LINKS) {
                ObjectNode link = links.addObject();
                link.put("href", a.generatorUrl());
                link.put("text", MessageText.describe(a.labels()));
            }
        }
        if (!links.isEmpty()) {
            event.set("links", links);
        }
        return event;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    @Override
    public String toString() {
        return "PagerDutyChannel{" + name + "}";
    }
}
