package io.vigil.alerts;

import java.time.Instant;

/** Small notifications for tests. */
final class TestNotifications {

    static final Instant T0 = Instant.parse("2026-12-02T04:00:00Z");

    private TestNotifications() {
    }

    static AlertNotification.Alert firingAlert(String alertname, String service, int i) {
        return AlertNotification.Alert.builder(AlertNotification.Status.FIRING, String.format("%016x", 0xabc000L + i))
                .label("alertname", alertname).label("service", service).label("severity", "critical")
                .label("instance", "host-" + i).annotation("summary", alertname + " on " + service)
                .startsAt(T0.plusSeconds(i)).generatorUrl("http://prometheus.local/graph?g0.expr=up").build();
    }

    static AlertNotification firing(String receiver, String group, String key, int alerts) {
        AlertNotification.Builder b = AlertNotification.builder(receiver, "{}:{alertname=\"" + group + "\"}", key)
                .groupLabel("alertname", group);
        for (int i = 0; i < alerts; i++) {
            b.alert(firingAlert(group, "checkout", i));
        }
        return b.build();
    }

    static AlertNotification resolved(AlertNotification firing, String key) {
        AlertNotification.Builder b = AlertNotification.builder(firing.receiver(), firing.groupKey(), key)
                .groupLabels(firing.groupLabels());
        for (AlertNotification.Alert a : firing.alerts()) {
            b.alert(AlertNotification.Alert.builder(AlertNotification.Status.RESOLVED, a.fingerprint())
                    .labels(a.labels()).annotations(a.annotations()).startsAt(a.startsAt())
                    .endsAt(a.startsAt().plusSeconds(600)).generatorUrl(a.generatorUrl()).build());
        }
        return b.build();
    }
}
