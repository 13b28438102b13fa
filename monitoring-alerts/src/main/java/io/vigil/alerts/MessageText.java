package io.vigil.alerts;

import java.util.Map;
import java.util.StringJoiner;

/** The human-readable wording shared by the Slack, PagerDuty and e-mail channels. */
final class MessageText {

    private MessageText() {
    }

    /** Alertmanager's default title: {@code [FIRING:2] alertname (other group labels)}. */
    static String title(AlertNotification n) {
        long firing = n.alerts().stream().filter(a -> a.status() == AlertNotification.Status.FIRING).count();
        StringBuilder title = new StringBuilder("[").append(n.status().wireName().toUpperCase(java.util.Locale.ROOT));
        if (n.status() == AlertNotification.Status.FIRING) {
            title.append(':').append(firing);
        }
        title.append("] ");
        String alertname = n.groupLabels().getOrDefault("alertname", n.commonLabels().getOrDefault("alertname", ""));
        title.append(alertname);
        StringJoiner others = new StringJoiner(" ", alertname.isEmpty() ? "(" : " (", ")").setEmptyValue("");
        n.groupLabels().forEach((k, v) -> {
            if (!"alertname".equals(k)) {
                others.add(k + "=\"" + v + "\"");
            }
        });
        title.append(others);
        if (n.root() != null) {
            title.append(" — root cause ").append(describe(n.root().labels())).append(", ")
                    .append(n.symptoms().size()).append(n.symptoms().size() == 1 ? " symptom" : " symptoms");
        }
        return title.toString().trim();
    }

    /** {@code alertname{k="v",...}} without the alertname label inside the braces. */
    static String describe(Map<String, String> labels) {
        StringJoiner inner = new StringJoiner(", ", "{", "}");
        labels.forEach((k, v) -> {
            if (!"alertname".equals(k)) {
                inner.add(k + "=\"" + v + "\"");
            }
        });
        return labels.getOrDefault("alertname", "") + inner;
    }

    /** One line per alert: status, labels, summary or description. */
    static String body(AlertNotification n) {
        StringBuilder text = new StringBuilder();
        if (n.root() != null) {
            text.append("Root cause: ").append(describe(n.root().labels())).append('\n');
            text.append("Symptoms (").append(n.symptoms().size()).append("):\n");
            for (AlertNotification.Alert s : n.symptoms()) {
                text.append("  - ").append(describe(s.labels())).append('\n');
            }
            text.append('\n');
        }
        for (AlertNotification.Alert a : n.alerts()) {
            text.append(a.status().wireName().toUpperCase(java.util.Locale.ROOT)).append(' ')
                    .append(describe(a.labels())).append(" since ").append(a.startsAt());
            String summary = a.annotations().getOrDefault("summary", a.annotations().getOrDefault("description", ""));
            if (!summary.isEmpty()) {
                text.append("\n  ").append(summary);
            }
            if (!a.generatorUrl().isEmpty()) {
                text.append("\n  ").append(a.generatorUrl());
            }
            text.append('\n');
        }
        return text.toString();
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
