package io.vigil.alerts;

import java.time.Instant;

/** Someone took an incident: its escalation stops. */
record Acknowledgement(String incidentKey, String by, Instant at) {
}
