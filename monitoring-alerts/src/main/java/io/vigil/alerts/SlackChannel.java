package io.vigil.alerts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Slack incoming webhook: a {@code text} fallback plus Block Kit {@code blocks} (a header, the root cause and
 * symptoms, one section per alert, a context line with the idempotency key). Slack's documented limits are
 * kept: header text 150 characters, section text 3000, at most 50 blocks. The webhook URL is the secret.
 */
final class SlackChannel implements NotificationChannel {

    static final int MAX_BLOCKS = 50;
    static final int MAX_HEADER = 150;
    static final int MAX_SECTION = 3000;
    static final int MAX_ALERT_SECTIONS = 10;

    private final String name;
    private final Duration timeout;
    private final HttpPoster poster;

    SlackChannel(NotificationChannel.SlackBuilder b) {
        this.name = b.name;
        this.timeout = b.timeout;
        this.poster = new HttpPoster(name, b.url, b.timeout);
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
        byte[] body = NotificationJson.write(payload(n)).getBytes(StandardCharsets.UTF_8);
        poster.post(body, Map.of(WebhookChannel.IDEMPOTENCY_HEADER, n.idempotencyKey()));
    }

    static ObjectNode payload(AlertNotification n) {
        ObjectNode root = NotificationJson.MAPPER.createObjectNode();
        String title = MessageText.title(n);
        root.put("text", title);
        ArrayNode blocks = root.putArray("blocks");
        ObjectNode header = blocks.addObject();
        header.put("type", "header");
        header.set("text", text("plain_text", MessageText.truncate(title, MAX_HEADER)));
        if (n.root() != null) {
            StringBuilder incident = new StringBuilder("*Root cause:* `")
                    .append(MessageText.describe(n.root().labels())).append("`\n*Symptoms (")
                    .append(n.symptoms().size()).append("):*");
            for (AlertNotification.Alert s : n.symptoms()) {
                incident.append("\n• `").append(MessageText.describe(s.labels())).append('`');
            }
            blocks.add(section(MessageText.truncate(incident.toString(), MAX_SECTION)));
        }
        int shown = 0;
        for (AlertNotification.Alert a : n.alerts()) {
            if (shown == MAX_ALERT_SECTIONS) {
                blocks.add(section("…and " + (n.alerts().size() - shown) + " more"));
                break;
            }
            StringBuilder line = new StringBuilder("*").append(a.status().wireName()).append("* `")
                    .append(MessageText.describe(a.labels())).append('`');
            String summary = a.annotations().getOrDefault("summary", a.annotations().getOrDefault("description", ""));
            if (!summary.isEmpty()) {
                line.append('\n').append(summary);
            }
            if (!a.generatorUrl().isEmpty()) {
                line.append("\n<").append(a.generatorUrl()).append("|source>");
            }
            blocks.add(section(MessageText.truncate(line.toString(), MAX_SECTION)));
            shown++;
        }
        ObjectNode context = blocks.addObject();
        context.put("type", "context");
        context.putArray("elements").add(text("mrkdwn", "receiver `" + n.receiver() + "` · key `"
                + n.idempotencyKey() + "`"));
        return root;
    }

    private static ObjectNode section(String mrkdwn) {
        ObjectNode section = NotificationJson.MAPPER.createObjectNode();
        section.put("type", "section");
        section.set("text", text("mrkdwn", mrkdwn));
        return section;
    }

    private static ObjectNode text(String type, String value) {
        ObjectNode text = NotificationJson.MAPPER.createObjectNode();
        text.put("type", type);
        text.put("text", value);
        return text;
    }

    @Override
    public String toString() {
        return "SlackChannel{" + name + "}";
    }
}
