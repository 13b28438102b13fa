package io.vigil.examples;

import io.vigil.alerts.AlertEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One log line when the demo's own rule engine starts firing an alert and one when it resolves, so a newcomer sees
 * the rules at work next to the notifications (which correlation may group, inhibit or fold into an incident).
 * Keeps the fingerprints of the firing alerts only: bounded by what fires.
 */
final class AlertTransitions implements AlertEngine.Listener {

    private static final Logger LOG = LoggerFactory.getLogger("io.vigil.examples.alerts");
    private final Set<String> firing = new HashSet<>();

    @Override
    public void onAlerts(List<AlertEngine.Alert> alerts) {
        for (AlertEngine.Alert alert : alerts) {
            if (alert.state() == AlertEngine.State.FIRING && firing.add(alert.fingerprint())) {
                LOG.warn("Rule engine: {} FIRING {} — {}", alert.name(), alert.labels(),
                        alert.annotations().getOrDefault("summary", ""));
            } else if (alert.state() == AlertEngine.State.RESOLVED && firing.remove(alert.fingerprint())) {
                LOG.info("Rule engine: {} RESOLVED {}", alert.name(), alert.labels());
            }
        }
    }
}
