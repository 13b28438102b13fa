package io.vigil.alerts;

import io.vigil.core.alert.Alert;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hands the rule engine's alerts to the correlation engine as Prometheus hands them to Alertmanager: labels and
 * annotations as evaluated, {@code startsAt} the time it started firing, {@code endsAt} the resolve time or — while
 * firing — {@code now + 4 × max(interval, 1 min)} (Prometheus' {@code ValidUntil}: it survives missed
 * evaluations, and an engine that stops lets its alerts resolve), and {@code generatorURL} the graph link of the
 * rule's expression.
 */
final class RuleAlertForwarder implements AlertEngine.Listener {

    /** Prometheus' default {@code --rules.alert.resend-delay}. */
    private static final Duration RESEND_DELAY = Duration.ofMinutes(1);

    private final AlertManager manager;
    private final Map<String, String> exprByAlert;
    private final String externalUrl;
    private final Duration validFor;
    private final Clock clock;

    RuleAlertForwarder(AlertManager manager, Map<String, String> exprByAlert, String externalUrl, Duration interval,
                       Clock clock) {
        this.manager = manager;
        this.exprByAlert = Map.copyOf(exprByAlert);
        this.externalUrl = externalUrl;
        this.validFor = (interval.compareTo(RESEND_DELAY) > 0 ? interval : RESEND_DELAY).multipliedBy(4);
        this.clock = clock;
    }

    @Override
    public void onAlerts(List<AlertEngine.Alert> alerts) {
        Instant now = clock.instant();
        List<Alert> out = new ArrayList<>(alerts.size());
        for (AlertEngine.Alert a : alerts) {
            if (a.state() == AlertEngine.State.PENDING) {
                continue;
            }
            Instant startsAt = a.firedAt() != null ? a.firedAt() : a.activeAt();
            Instant endsAt = a.state() == AlertEngine.State.RESOLVED && a.resolvedAt() != null ? a.resolvedAt()
                    : now.plus(validFor);
            out.add(Alert.builder().labels(a.labels()).annotations(a.annotations()).startsAt(startsAt)
                    .endsAt(endsAt.isBefore(startsAt) ? startsAt : endsAt).generatorUrl(generatorUrl(a.name()))
                    .build());
        }
        if (!out.isEmpty()) {
            manager.receive(out);
        }
    }

    /** Prometheus' link: {@code <external URL>/graph?g0.expr=<expr>&g0.tab=1}. */
    private String generatorUrl(String alert) {
        String expr = exprByAlert.getOrDefault(alert, "");
        return externalUrl + "/graph?g0.expr=" + URLEncoder.encode(expr, StandardCharsets.UTF_8) + "&g0.tab=1";
    }
}
