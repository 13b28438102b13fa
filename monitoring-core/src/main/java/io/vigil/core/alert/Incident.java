package io.vigil.core.alert;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One cause and what it explains: a root alert and the alerts of dependent services that joined it as symptoms
 * (see {@link DependencyGraph}). An alert that is nobody's symptom is the root of its own incident, with no
 * symptoms. The {@link #id()} is stable for the life of the root alert ({@code fingerprint@startsAt-millis}), so
 * escalation and a durable store can track the incident across notifications and restarts. Immutable.
 */
public final class Incident {

    private final String id;
    private final Alert root;
    private final List<Alert> symptoms;
    private final boolean resolved;

    Incident(Alert root, List<Alert> symptoms, boolean resolved) {
        this.id = idOf(root);
        this.root = root;
        this.symptoms = List.copyOf(symptoms);
        this.resolved = resolved;
    }

    static String idOf(Alert root) {
        return root.fingerprint() + "@" + root.startsAt().toEpochMilli();
    }

    public String id() {
        return id;
    }

    /** The alert that names the cause. */
    public Alert root() {
        return root;
    }

    /** Alerts of dependent services explained by the root, in Alertmanager's alert order. */
    public List<Alert> symptoms() {
        return symptoms;
    }

    /** Whether the root was resolved when this view was taken. */
    public boolean resolved() {
        return resolved;
    }

    public Instant startsAt() {
        return root.startsAt();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Incident that && id.equals(that.id) && root.equals(that.root)
                && symptoms.equals(that.symptoms) && resolved == that.resolved;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, symptoms.size(), resolved);
    }

    @Override
    public String toString() {
        return "Incident[" + id + " " + root.name() + (resolved ? " resolved" : " firing") + ", " + symptoms.size()
                + " symptoms]";
    }
}
