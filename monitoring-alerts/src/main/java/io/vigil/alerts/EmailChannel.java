package io.vigil.alerts;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * E-mail over SMTP with Jakarta Mail (Angus). The {@code Message-ID} is derived from the idempotency key —
 * {@code <first 32 hex digits of SHA-256(key)@domain>} — so a mail system or a reader can spot the duplicate an
 * at-least-once delivery may produce; the raw key also travels in {@code X-Vigil-Idempotency-Key}.
 */
final class EmailChannel implements NotificationChannel {

    private final String name;
    private final Session session;
    private final InternetAddress from;
    private final InternetAddress[] to;
    private final String username;
    private final Secret password;
    private final Duration timeout;
    private final String domain;

    EmailChannel(NotificationChannel.EmailBuilder b) {
        this.name = b.name;
        this.username = b.username;
        this.password = b.password;
        this.timeout = b.timeout;
        this.domain = b.messageIdDomain;
        Properties props = new Properties();
        props.put("mail.smtp.host", b.host);
        props.put("mail.smtp.port", Integer.toString(b.port));
        String millis = Long.toString(b.timeout.toMillis());
        props.put("mail.smtp.connectiontimeout", millis);
        props.put("mail.smtp.timeout", millis);
        props.put("mail.smtp.writetimeout", millis);
        props.put("mail.smtp.auth", Boolean.toString(b.username != null));
        if (b.startTls) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
        }
        this.session = Session.getInstance(props);
        try {
            this.from = new InternetAddress(b.from, true);
            List<InternetAddress> recipients = new java.util.ArrayList<>();
            for (String address : b.to) {
                recipients.add(new InternetAddress(address, true));
            }
            this.to = recipients.toArray(new InternetAddress[0]);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("channel " + name + ": invalid address: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration timeout() {
        return timeout.multipliedBy(2);
    }

    /** The Message-ID every copy of the notification with {@code key} carries. */
    static String messageId(String key, String domain) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "<" + HexFormat.of().formatHex(digest, 0, 16) + "@" + domain + ">";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void send(AlertNotification n) throws Exception {
        String id = messageId(n.idempotencyKey(), domain);
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", id);
            }
        };
        try {
            message.setFrom(from);
            message.setRecipients(Message.RecipientType.TO, to);
            message.setSubject(MessageText.title(n), "UTF-8");
            message.setText(MessageText.body(n) + "\nreceiver: " + n.receiver() + "\nidempotency key: "
                    + n.idempotencyKey() + "\n", "UTF-8");
            message.setHeader("X-Vigil-Idempotency-Key", n.idempotencyKey());
            message.setSentDate(new java.util.Date());
            message.saveChanges();
            if (username != null) {
                Transport.send(message, username, password.reveal());
            } else {
                Transport.send(message);
            }
        } catch (MessagingException e) {
            String reason = password == null ? e.getMessage() : password.redact(e.getMessage());
            throw new DeliveryFailure(name + ": " + e.getClass().getSimpleName() + " " + reason);
        }
    }

    @Override
    public String toString() {
        return "EmailChannel{" + name + ", to=" + to.length + " recipients}";
    }
}
