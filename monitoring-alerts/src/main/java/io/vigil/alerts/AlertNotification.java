package io.vigil.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One notification due for a receiver: the content of Alertmanager's webhook message (receiver, status, group
 * key, group/common labels and annotations, alerts) plus what Vigil adds — the incident's root alert and its
 * symptoms, and the idempotency key every outgoing message carries (webhook {@code Idempotency-Key} header,
 * PagerDuty {@code dedup_key}, e-mail {@code Message-ID}).
 *
 * <p>Immutable. {@code status} is derived as Alertmanager derives it: {@code firing} while any alert fires.
 * Common labels and annotations default to those every alert shares, as in Alertmanager.
 */
public final class AlertNotification {

    /** Alertmanager's two notification states. */
    public enum Status {
        FIRING, RESOLVED;

        /** The lower-case word Alertmanager writes ({@code firing}, {@code resolved}). */
        public String wireName() {
            return this == FIRING ? "firing" : "resolved";
        }

        static Status fromWire(String name) {
            if ("firing".equals(name)) {
                return FIRING;
            }
            if ("resolved".equals(name)) {
                return RESOLVED;
            }
            throw new IllegalArgumentException("status must be firing or resolved, not " + name);
        }
    }

    private final String receiver;
    private final String groupKey;
    private final String idempotencyKey;
    private final Map<String, String> groupLabels;
    private final Map<String, String> commonLabels;
    private final Map<String, String> commonAnnotations;
    private final String externalUrl;
    private final List<Alert> alerts;
    private final Alert root;
    private final List<Alert> symptoms;

    private AlertNotification(Builder b) {
        this.receiver = b.receiver;
        this.groupKey = b.groupKey;
        this.idempotencyKey = b.idempotencyKey;
        this.groupLabels = sorted(b.groupLabels);
        this.alerts = List.copyOf(b.alerts);
        this.commonLabels = b.commonLabels != null ? sorted(b.commonLabels) : common(alerts, true);
        this.commonAnnotations = b.commonAnnotations != null ? sorted(b.commonAnnotations) : common(alerts, false);
        this.externalUrl = b.externalUrl;
        this.root = b.root;
        this.symptoms = List.copyOf(b.symptoms);
    }

    /**
     * @param receiver       the receiver (route target) the notification is for
     * @param groupKey       Alertmanager's group key: stable for the life of the group, used as PagerDuty's
     *                       {@code dedup_key} source so a trigger and its resolve meet
     * @param idempotencyKey unique per notification: a receiver seeing the same key twice has seen a duplicate
     */
    public static Builder builder(String receiver, String groupKey, String idempotencyKey) {
        return new Builder(receiver, groupKey, idempotencyKey);
    }

    /** A copy of this notification under another idempotency key (escalation steps, re-notifications). */
    public AlertNotification withIdempotencyKey(String key) {
        Builder b = toBuilder();
        b.idempotencyKey = requireKey(key);
        return b.build();
    }

    /** A builder holding this notification's content. */
    public Builder toBuilder() {
        Builder b = new Builder(receiver, groupKey, idempotencyKey);
        b.groupLabels.putAll(groupLabels);
        b.commonLabels = new LinkedHashMap<>(commonLabels);
        b.commonAnnotations = new LinkedHashMap<>(commonAnnotations);
        b.externalUrl = externalUrl;
        b.alerts.addAll(alerts);
        b.root = root;
        b.symptoms.addAll(symptoms);
        return b;
    }

    public String receiver() {
        return receiver;
    }

    public Status status() {
        for (Alert alert : alerts) {
            if (alert.status() == Status.FIRING) {
                return Status.FIRING;
            }
        }
        return Status.RESOLVED;
    }

    public String groupKey() {
        return groupKey;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    public Map<String, String> groupLabels() {
        return groupLabels;
    }

    public Map<String, String> commonLabels() {
        return commonLabels;
    }

    public Map<String, String> commonAnnotations() {
        return commonAnnotations;
    }

    /** Alertmanager's {@code externalURL}: a link back to the sender; empty when none. */
    public String externalUrl() {
        return externalUrl;
    }

    public List<Alert> alerts() {
        return alerts;
    }

    /** The incident's root cause, when correlation found one; {@code null} otherwise. */
    public Alert root() {
        return root;
    }

    /** Alerts that are symptoms of {@link #root()}; empty when there is no incident. */
    public List<Alert> symptoms() {
        return symptoms;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AlertNotification)) {
            return false;
        }
        AlertNotification n = (AlertNotification) o;
        return receiver.equals(n.receiver) && groupKey.equals(n.groupKey) && idempotencyKey.equals(n.idempotencyKey)
                && groupLabels.equals(n.groupLabels) && commonLabels.equals(n.commonLabels)
                && commonAnnotations.equals(n.commonAnnotations) && externalUrl.equals(n.externalUrl)
                && alerts.equals(n.alerts) && Objects.equals(root, n.root) && symptoms.equals(n.symptoms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(receiver, groupKey, idempotencyKey, alerts);
    }

    @Override
    public String toString() {
        return "AlertNotification{receiver=" + receiver + ", status=" + status().wireName() + ", groupKey=" + groupKey
                + ", idempotencyKey=" + idempotencyKey + ", alerts=" + alerts.size()
                + (root == null ? "" : ", root=" + root.labels().get("alertname") + ", symptoms=" + symptoms.size())
                + "}";
    }

    private static Map<String, String> sorted(Map<String, String> map) {
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }

    /** Labels (or annotations) with the same value on every alert, as Alertmanager computes commonLabels. */
    private static Map<String, String> common(List<Alert> alerts, boolean labels) {
        if (alerts.isEmpty()) {
            return Map.of();
        }
        Map<String, String> common = new TreeMap<>(labels ? alerts.get(0).labels() : alerts.get(0).annotations());
        for (Alert alert : alerts.subList(1, alerts.size())) {
            Map<String, String> other = labels ? alert.labels() : alert.annotations();
            common.entrySet().removeIf(e -> !e.getValue().equals(other.get(e.getKey())));
        }
        return Collections.unmodifiableMap(common);
    }

    /**
     * Idempotency keys travel in HTTP and mail headers: 1 to 200 visible ASCII characters (no spaces). The
     * correlation engine's keys are 32 hex digits; escalation appends at most a few characters.
     */
    static String requireKey(String key) {
        if (key == null || key.isEmpty() || key.length() > 200
                || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("idempotency key must be 1 to 200 visible ASCII characters: " + key);
        }
        return key;
    }

    static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }

    /** Builds an {@link AlertNotification}. */
    public static final class Builder {
        private final String receiver;
        private final String groupKey;
        private String idempotencyKey;
        private final Map<String, String> groupLabels = new LinkedHashMap<>();
        private Map<String, String> commonLabels;
        private Map<String, String> commonAnnotations;
        private String externalUrl = "";
        private final List<Alert> alerts = new ArrayList<>();
        private Alert root;
        private final List<Alert> symptoms = new ArrayList<>();

        private Builder(String receiver, String groupKey, String idempotencyKey) {
            this.receiver = requireText(receiver, "receiver");
            this.groupKey = Objects.requireNonNull(groupKey, "groupKey");
            this.idempotencyKey = requireKey(idempotencyKey);
        }

        public Builder groupLabel(String name, String value) {
            groupLabels.put(name, value);
            return this;
        }

        public Builder groupLabels(Map<String, String> labels) {
            groupLabels.putAll(labels);
            return this;
        }

        /** Overrides the computed common labels (as received from Alertmanager, for instance). */
        public Builder commonLabels(Map<String, String> labels) {
            commonLabels = new LinkedHashMap<>(labels);
            return this;
        }

        /** Overrides the computed common annotations. */
        public Builder commonAnnotations(Map<String, String> annotations) {
            commonAnnotations = new LinkedHashMap<>(annotations);
            return this;
        }

        public Builder externalUrl(String url) {
            externalUrl = url == null ? "" : url;
            return this;
        }

        public Builder alert(Alert alert) {
            alerts.add(Objects.requireNonNull(alert, "alert"));
            return this;
        }

        public Builder alerts(List<Alert> list) {
            list.forEach(this::alert);
            return this;
        }

        /** The incident: its root alert and the alerts that are its symptoms. */
        public Builder incident(Alert rootAlert, List<Alert> symptomAlerts) {
            root = Objects.requireNonNull(rootAlert, "root");
            symptoms.clear();
            symptoms.addAll(symptomAlerts);
            return this;
        }

        public AlertNotification build() {
            if (alerts.isEmpty()) {
                throw new IllegalArgumentException("a notification carries at least one alert");
            }
            return new AlertNotification(this);
        }
    }

    /** One alert as Alertmanager's webhook shows it. */
    public static final class Alert {
        private final Status status;
        private final Map<String, String> labels;
        private final Map<String, String> annotations;
        private final Instant startsAt;
        private final Instant endsAt;
        private final String generatorUrl;
        private final String fingerprint;

        private Alert(AlertBuilder b) {
            this.status = b.status;
            this.labels = sorted(b.labels);
            this.annotations = sorted(b.annotations);
            this.startsAt = b.startsAt;
            this.endsAt = b.endsAt;
            this.generatorUrl = b.generatorUrl;
            this.fingerprint = b.fingerprint;
        }

        /**
         * @param fingerprint Alertmanager's fingerprint of the label set (16 hex digits), computed by the
         *                    correlation engine
         */
        public static AlertBuilder builder(Status status, String fingerprint) {
            return new AlertBuilder(status, fingerprint);
        }

        public Status status() {
            return status;
        }

        public Map<String, String> labels() {
            return labels;
        }

        public Map<String, String> annotations() {
            return annotations;
        }

        public Instant startsAt() {
            return startsAt;
        }

        /** When the alert ended, or {@code null} while it has no known end (Go's zero time on the wire). */
        public Instant endsAt() {
            return endsAt;
        }

        public String generatorUrl() {
            return generatorUrl;
        }

        public String fingerprint() {
            return fingerprint;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Alert)) {
                return false;
            }
            Alert a = (Alert) o;
            return status == a.status && labels.equals(a.labels) && annotations.equals(a.annotations)
                    && startsAt.equals(a.startsAt) && Objects.equals(endsAt, a.endsAt)
                    && generatorUrl.equals(a.generatorUrl) && fingerprint.equals(a.fingerprint);
        }

        @Override
        public int hashCode() {
            return Objects.hash(fingerprint, status, startsAt);
        }

        @Override
        public String toString() {
            return "Alert{" + status.wireName() + ", " + labels + ", fingerprint=" + fingerprint + "}";
        }
    }

    /** Builds an {@link Alert}. */
    public static final class AlertBuilder {
        private final Status status;
        private final String fingerprint;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, String> annotations = new LinkedHashMap<>();
        private Instant startsAt = Instant.EPOCH;
        private Instant endsAt;
        private String generatorUrl = "";

        private AlertBuilder(Status status, String fingerprint) {
            this.status = Objects.requireNonNull(status, "status");
            this.fingerprint = requireText(fingerprint, "fingerprint");
        }

        public AlertBuilder label(String name, String value) {
            labels.put(requireText(name, "label name"), Objects.requireNonNull(value, "label value"));
            return this;
        }

        public AlertBuilder labels(Map<String, String> map) {
            map.forEach(this::label);
            return this;
        }

        public AlertBuilder annotation(String name, String value) {
            annotations.put(requireText(name, "annotation name"), Objects.requireNonNull(value, "annotation value"));
            return this;
        }

        public AlertBuilder annotations(Map<String, String> map) {
            map.forEach(this::annotation);
            return this;
        }

        public AlertBuilder startsAt(Instant at) {
            startsAt = Objects.requireNonNull(at, "startsAt");
            return this;
        }

        public AlertBuilder endsAt(Instant at) {
            endsAt = at;
            return this;
        }

        public AlertBuilder generatorUrl(String url) {
            generatorUrl = url == null ? "" : url;
            return this;
        }

        public Alert build() {
            return new Alert(this);
        }
    }
}
