package io.vigil.alerts;

import io.vigil.core.alert.Alert;
import io.vigil.core.alert.Incident;
import io.vigil.core.alert.Notification;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adapts what the correlation engine emits ({@link io.vigil.core.alert.Notification}) to the message channels
 * send ({@link AlertNotification}): firing alerts then resolved ones (the latter only when the receiver has
 * {@code send_resolved}), the engine's idempotency key unchanged, and the incident whose root has symptoms as
 * root and symptoms. Nothing is produced for an all-resolved group whose receiver does not want resolves —
 * Alertmanager skips that one too.
 */
final class CoreNotifications {

    private CoreNotifications() {
    }

    static Optional<AlertNotification> from(Notification n) {
        if (n.allResolved() && !n.sendResolved()) {
            return Optional.empty();
        }
        List<AlertNotification.Alert> alerts = new ArrayList<>();
        for (Alert a : n.firing()) {
            alerts.add(alert(a, AlertNotification.Status.FIRING));
        }
        if (n.sendResolved()) {
            for (Alert a : n.resolved()) {
                alerts.add(alert(a, AlertNotification.Status.RESOLVED));
            }
        }
        AlertNotification.Builder b = AlertNotification.builder(n.receiver(), n.groupKey(), n.idempotencyKey())
                .groupLabels(n.groupLabels()).alerts(alerts);
        for (Incident incident : n.incidents()) {
            if (!incident.symptoms().isEmpty()) {
                List<AlertNotification.Alert> symptoms = new ArrayList<>();
                for (Alert s : incident.symptoms()) {
                    symptoms.add(alert(s, s.endsAt().isPresent() ? AlertNotification.Status.RESOLVED
                            : AlertNotification.Status.FIRING));
                }
                b.incident(alert(incident.root(), incident.resolved() ? AlertNotification.Status.RESOLVED
                        : AlertNotification.Status.FIRING), symptoms);
                break;
            }
        }
        return Optional.of(b.build());
    }

    private static AlertNotification.Alert alert(Alert a, AlertNotification.Status status) {
        return AlertNotification.Alert.builder(status, a.fingerprint()).labels(a.labels())
                .annotations(a.annotations()).startsAt(a.startsAt()).endsAt(a.endsAt().orElse(null))
                .generatorUrl(a.generatorUrl().orElse("")).build();
    }
}
