package io.vigil.alerts;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** E-mail through a real SMTP server (GreenMail, in process). */
class EmailChannelTest {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("vigil", "pa55word"));

    private NotificationChannel channel() {
        return NotificationChannel.email("mail", "127.0.0.1", MAIL.getSmtp().getPort())
                .from("vigil@example.org").to("oncall@example.org", "lead@example.org")
                .credentials("vigil", "pa55word").timeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void firingAndResolvedArriveWithMessageIdFromTheIdempotencyKey() throws Exception {
        AlertNotification firing = TestNotifications.firing("team", "HighLatency", "key-1", 2);
        channel().send(firing);
        channel().send(TestNotifications.resolved(firing, "key-2"));

        MimeMessage[] received = MAIL.getReceivedMessages();
        assertThat(received).hasSize(4); // two messages, two recipients each
        MimeMessage first = received[0];
        assertThat(first.getSubject()).isEqualTo("[FIRING:2] HighLatency");
        assertThat(first.getMessageID()).isEqualTo(EmailChannel.messageId("key-1", "vigil.local"))
                .matches("<[0-9a-f]{32}@vigil\\.local>");
        assertThat(first.getHeader("X-Vigil-Idempotency-Key")[0]).isEqualTo("key-1");
        assertThat(first.getFrom()[0].toString()).isEqualTo("vigil@example.org");
        assertThat(first.getAllRecipients()).hasSize(2);
        String body = (String) first.getContent();
        assertThat(body).contains("FIRING HighLatency{instance=\"host-0\", service=\"checkout\", severity=\"critical\"}")
                .contains("HighLatency on checkout").contains("idempotency key: key-1");
        MimeMessage resolved = java.util.Arrays.stream(received)
                .filter(m -> {
                    try {
                        return m.getSubject().startsWith("[RESOLVED]");
                    } catch (jakarta.mail.MessagingException e) {
                        throw new IllegalStateException(e);
                    }
                }).findFirst().orElseThrow();
        assertThat(resolved.getSubject()).isEqualTo("[RESOLVED] HighLatency");
        assertThat(resolved.getMessageID()).isEqualTo(EmailChannel.messageId("key-2", "vigil.local"));
    }

    @Test
    void sameKeySameMessageId() {
        assertThat(EmailChannel.messageId("k", "d")).isEqualTo(EmailChannel.messageId("k", "d"))
                .isNotEqualTo(EmailChannel.messageId("k2", "d"));
    }
}
