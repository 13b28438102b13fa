package io.vigil.alerts;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where notifications go: the SPI every channel implements, plus factories for the built-in ones (SLF4J log,
 * Alertmanager-compatible webhook, Slack incoming webhook, PagerDuty Events API v2, e-mail over SMTP).
 *
 * <p>The {@link AlertManager} calls {@link #send} on a thread of the channel's own (never the caller's), bounded by
 * {@link #timeout()}, retried with backoff behind a circuit breaker. {@code send} returns normally when the
 * receiver accepted the notification; it throws {@link Rejected} when resending cannot help (a 4xx answer) and
 * any other exception for a failure worth retrying. Implementations carry the notification's
 * {@link AlertNotification#idempotencyKey()} to the receiver so that it can drop the duplicate an at-least-once
 * delivery may produce after a crash. Exceptions and {@code toString} must never contain secrets.
 */
public interface NotificationChannel {

    /** A unique, stable name: it keys the notification log, the meters' {@code channel} tag and routing. */
    String name();

    /** Delivers one notification, synchronously. */
    void send(AlertNotification notification) throws Exception;

    /** How long one {@link #send} may take before the attempt counts as failed and is abandoned. */
    default Duration timeout() {
        return Duration.ofSeconds(10);
    }

    /** Logs every notification through SLF4J (logger {@code io.vigil.alerts.notifications}). */
    static NotificationChannel log(String name) {
        return new LogChannel(name);
    }

    /** Posts Alertmanager's webhook message (version 4), optionally HMAC-signed. */
    static WebhookBuilder webhook(String name, URI url) {
        return new WebhookBuilder(name, url);
    }

    /** Posts to a Slack incoming webhook (its URL is a secret). */
    static SlackBuilder slack(String name, URI incomingWebhookUrl) {
        return new SlackBuilder(name, incomingWebhookUrl);
    }

    /** Triggers and resolves PagerDuty incidents through the Events API v2. */
    static PagerDutyBuilder pagerDuty(String name, String routingKey) {
        return new PagerDutyBuilder(name, routingKey);
    }

    /** Sends e-mail over SMTP with Jakarta Mail. */
    static EmailBuilder email(String name, String smtpHost, int smtpPort) {
        return new EmailBuilder(name, smtpHost, smtpPort);
    }

    /** A permanent failure: the receiver refused the notification and resending it cannot help. */
    final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        public Rejected(String message) {
            super(message, null, false, false);
        }
    }

    /** Options shared by the HTTP channels. */
    abstract class HttpBuilder<B extends HttpBuilder<B>> {
        final String name;
        final URI url;
        Duration timeout = Duration.ofSeconds(10);

        HttpBuilder(String name, URI url) {
            this.name = AlertNotification.requireText(name, "channel name");
            Objects.requireNonNull(url, "url");
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                // The URL may hold a key: name the scheme only.
                throw new IllegalArgumentException("channel " + name + ": URL scheme must be http or https, not "
                        + url.getScheme());
            }
            this.url = url;
        }

        @SuppressWarnings("unchecked")
        B self() {
            return (B) this;
        }

        /** The whole-request timeout (connect, send, answer). Default 10 s. */
        public B timeout(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("channel " + name + ": timeout must be positive");
            }
            this.timeout = value;
            return self();
        }
    }

    /** Builds a webhook channel. */
    final class WebhookBuilder extends HttpBuilder<WebhookBuilder> {
        Secret signingKey;
        int maxAlerts;

        WebhookBuilder(String name, URI url) {
            super(name, url);
        }

        /**
         * Signs each body: header {@code X-Vigil-Signature: sha256=<hex HMAC-SHA256(key, body)>}.
         */
        public WebhookBuilder signingKey(String key) {
            this.signingKey = Secret.of(key, "signing key");
            return this;
        }

        /** Alertmanager's {@code max_alerts}: at most this many alerts per message, 0 for all (default). */
        public WebhookBuilder maxAlerts(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("channel " + name + ": maxAlerts must be >= 0");
            }
            this.maxAlerts = value;
            return this;
        }

        public NotificationChannel build() {
            return new WebhookChannel(this);
        }
    }

    /** Builds a Slack incoming-webhook channel. */
    final class SlackBuilder extends HttpBuilder<SlackBuilder> {
        SlackBuilder(String name, URI url) {
            super(name, url);
        }

        public NotificationChannel build() {
            return new SlackChannel(this);
        }
    }

    /** Builds a PagerDuty Events API v2 channel. */
    final class PagerDutyBuilder extends HttpBuilder<PagerDutyBuilder> {
        final Secret routingKey;
        String source = "vigil";
        String defaultSeverity = "error";
        String client = "Vigil";

        PagerDutyBuilder(String name, String routingKey) {
            super(name, URI.create("https://events.pagerduty.com/v2/enqueue"));
            this.routingKey = Secret.of(routingKey, "routing key");
        }

        /** The Events API endpoint; default {@code https://events.pagerduty.com/v2/enqueue}. */
        public PagerDutyBuilder endpoint(URI endpoint) {
            return new PagerDutyBuilder(this, endpoint);
        }

        private PagerDutyBuilder(PagerDutyBuilder from, URI endpoint) {
            super(from.name, endpoint);
            this.routingKey = from.routingKey;
            this.source = from.source;
            this.defaultSeverity = from.defaultSeverity;
            this.client = from.client;
            this.timeout = from.timeout;
        }

        /** {@code payload.source} when the alerts carry no {@code instance} label. Default {@code vigil}. */
        public PagerDutyBuilder source(String value) {
            this.source = AlertNotification.requireText(value, "source");
            return this;
        }

        /** Severity used when the common labels have no valid {@code severity}; default {@code error}. */
        public PagerDutyBuilder defaultSeverity(String value) {
            if (!PagerDutyChannel.SEVERITIES.contains(value)) {
                throw new IllegalArgumentException("channel " + name + ": severity must be one of "
                        + PagerDutyChannel.SEVERITIES);
            }
            this.defaultSeverity = value;
            return this;
        }

        public NotificationChannel build() {
            return new PagerDutyChannel(this);
        }
    }

    /** Builds an e-mail channel. */
    final class EmailBuilder {
        final String name;
        final String host;
        final int port;
        String from;
        final java.util.List<String> to = new java.util.ArrayList<>();
        String username;
        Secret password;
        boolean startTls;
        Duration timeout = Duration.ofSeconds(10);
        String messageIdDomain = "vigil.local";

        EmailBuilder(String name, String host, int port) {
            this.name = AlertNotification.requireText(name, "channel name");
            this.host = AlertNotification.requireText(host, "smtp host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("channel " + name + ": SMTP port out of range: " + port);
            }
            this.port = port;
        }

        public EmailBuilder from(String address) {
            this.from = AlertNotification.requireText(address, "from");
            return this;
        }

        public EmailBuilder to(String... addresses) {
            for (String address : addresses) {
                to.add(AlertNotification.requireText(address, "to"));
            }
            return this;
        }

        public EmailBuilder credentials(String user, String secret) {
            this.username = AlertNotification.requireText(user, "username");
            this.password = Secret.of(secret, "password");
            return this;
        }

        /** Require STARTTLS before sending (default off: plain SMTP for a local relay). */
        public EmailBuilder startTls(boolean value) {
            this.startTls = value;
            return this;
        }

        public EmailBuilder timeout(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("channel " + name + ": timeout must be positive");
            }
            this.timeout = value;
            return this;
        }

        /** The right-hand side of every {@code Message-ID}; default {@code vigil.local}. */
        public EmailBuilder messageIdDomain(String domain) {
            this.messageIdDomain = AlertNotification.requireText(domain, "messageIdDomain");
            return this;
        }

        public NotificationChannel build() {
            if (from == null || to.isEmpty()) {
                throw new IllegalArgumentException("channel " + name + ": an e-mail channel needs from and to");
            }
            return new EmailChannel(this);
        }
    }
}
