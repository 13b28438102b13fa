package io.vigil.alerts;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.testkit.PrometheusScrape;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens, keyed URLs, routing keys and passwords never reach a log line, an exception message or a
 * {@code toString} — even when a hostile receiver echoes them back in its error answers.
 */
class SecretsTest {

    private static final String URL_TOKEN = "URLTOKEN-1f2e3d";
    private static final String SIGNING_KEY = "SIGNKEY-9a8b7c";
    private static final String SLACK_TOKEN = "SLACKTOKEN-4d5e6f";
    private static final String ROUTING_KEY = "ROUTINGKEY-0a1b2c";
    private static final String PASSWORD = "MAILPASSWORD-7h8i9j";
    private static final List<String> SECRETS = List.of(URL_TOKEN, SIGNING_KEY, SLACK_TOKEN, ROUTING_KEY, PASSWORD);

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("vigil", "the-right-one"));

    @TempDir
    Path dir;

    @Test
    void secretsAppearNowhere() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MockWebServer hostile = new MockWebServer();
        hostile.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                // echoes the request line and body: the path holds the URL tokens, the body the routing key
                String echo = request.getRequestLine() + " " + request.getBody().readUtf8();
                int status = request.getPath().contains("/fail400") ? 400 : 500;
                return new MockResponse().setResponseCode(status).setBody(echo + " " + SIGNING_KEY);
            }
        });
        hostile.start();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        List<NotificationChannel> channels = List.of(
                NotificationChannel.webhook("hook", hostile.url("/hooks/" + URL_TOKEN).uri()).signingKey(SIGNING_KEY)
                        .build(),
                NotificationChannel.webhook("hook400", hostile.url("/fail400/" + URL_TOKEN).uri()).build(),
                NotificationChannel.webhook("refused", URI.create("http://127.0.0.1:" + closedPort + "/" + URL_TOKEN))
                        .build(),
                NotificationChannel.slack("slack", hostile.url("/services/T0/B0/" + SLACK_TOKEN).uri()).build(),
                NotificationChannel.pagerDuty("pd", ROUTING_KEY).endpoint(hostile.url("/v2/enqueue").uri()).build(),
                NotificationChannel.email("mail", "127.0.0.1", MAIL.getSmtp().getPort()).from("v@example.org")
                        .to("o@example.org").credentials("vigil", PASSWORD).build());

        List<String> texts = new ArrayList<>();
        AlertNotification n = TestNotifications.firing("team", "A", "k", 1);
        for (NotificationChannel channel : channels) {
            texts.add(channel.toString());
            try {
                channel.send(n);
            } catch (Exception e) {
                texts.add(e.toString());
                texts.add(String.valueOf(e.getCause()));
            }
        }
        assertThat(texts).hasSize(channels.size() * 3); // every channel failed

        try (LogCapture log = new LogCapture()) {
            AlertManager.Builder b = AlertManager.builder(registry).stateDirectory(dir).tickInterval(Duration.ZERO)
                    .retry(2, Duration.ofMillis(10), Duration.ofMillis(20)).circuitBreaker(4, Duration.ofMillis(50));
            channels.forEach(b::channel);
            AlertManager manager = b.route("team", "hook", "hook400", "refused", "slack", "pd", "mail").build();
            texts.add(manager.toString());
            manager.submit(n);
            manager.tick();
            RecordingReceiver.await("every channel failing", 20_000, () -> {
                PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
                return channels.stream().allMatch(c -> scrape.sum("alerts_notifications_total", "channel", c.name(),
                        "outcome", "error") + scrape.sum("alerts_notifications_total", "channel", c.name(),
                        "outcome", "rejected") >= 2 || c.name().equals("hook400")
                        && scrape.sum("alerts_notifications_total", "channel", "hook400", "outcome", "rejected") == 1);
            });
            Thread.sleep(100); // let the lanes write their warning lines
            manager.close();
            texts.add(log.text());
        } finally {
            hostile.shutdown();
        }
        String all = String.join("\n", texts);
        assertThat(all).contains("hook: HTTP 500").contains("HTTP 400").contains("ConnectException");
        for (String secret : SECRETS) {
            assertThat(all).as("no %s anywhere", secret).doesNotContain(secret);
        }
    }
}
