package io.vigil.alerts;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Alertmanager's webhook: POSTs the version-4 message. Headers: {@code Idempotency-Key} (the notification's
 * key: a receiver drops a key it has seen) and, with a signing key, {@code X-Vigil-Signature: sha256=<hex>},
 * the HMAC-SHA256 of the exact body bytes under that key.
 */
final class WebhookChannel implements NotificationChannel {

    static final String SIGNATURE_HEADER = "X-Vigil-Signature";
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    private final String name;
    private final Secret signingKey;
    private final int maxAlerts;
    private final Duration timeout;
    private final HttpPoster poster;

    WebhookChannel(NotificationChannel.WebhookBuilder b) {
        this.name = b.name;
        this.signingKey = b.signingKey;
        this.maxAlerts = b.maxAlerts;
        this.timeout = b.timeout;
        // The whole URL counts as secret: webhook URLs often carry a token in the path or query.
        this.poster = new HttpPoster(name, b.url, b.timeout, signingKey == null ? new Secret[0] : new Secret[] {signingKey});
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
        byte[] body = NotificationJson.write(NotificationJson.webhookMessage(n, maxAlerts))
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(IDEMPOTENCY_HEADER, n.idempotencyKey());
        if (signingKey != null) {
            headers.put(SIGNATURE_HEADER, "sha256=" + sign(signingKey.reveal(), body));
        }
        poster.post(body, headers);
    }

    /** Lower-case hex HMAC-SHA256 of {@code body} under {@code key} (UTF-8). */
    static String sign(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookChannel{" + name + ", signed=" + (signingKey != null) + "}";
    }
}
