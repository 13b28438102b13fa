package io.vigil.alerts;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The dispatcher against real receivers: errors, hangs, recovery, isolation, overflow. */
class DeliveryTest {

    @TempDir
    Path dir;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> closeLast = new ArrayList<>();
    private final AtomicBoolean release = new AtomicBoolean();

    @AfterEach
    void tearDown() throws Exception {
        release.set(true);
        for (AutoCloseable c : closeLast) {
            c.close();
        }
    }

    private AlertManager.Builder manager() {
        return AlertManager.builder(registry).stateDirectory(dir).tickInterval(Duration.ZERO)
                .retry(3, Duration.ofMillis(20), Duration.ofMillis(100))
                .circuitBreaker(10, Duration.ofMillis(200));
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closeLast.add(0, c);
        return c;
    }

    @Test
    void everyNotificationArrivesOncePerKeyInOrderPerGroupThroughErrorsHangsAndRecovery() throws Exception {
        RecordingReceiver receiver = closeLater(new RecordingReceiver("k3y").then("500", "500", "hang", "500", "hang"));
        AlertManager manager = closeLater(manager()
                .channel(NotificationChannel.webhook("hook", receiver.url()).signingKey("k3y")
                        .timeout(Duration.ofMillis(300)).build())
                .route("team", "hook").build());

        Map<String, List<String>> submittedPerGroup = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            for (String group : List.of("A", "B", "C")) {
                String key = group + "-" + i;
                assertThat(manager.submit(TestNotifications.firing("team", group, key, 1 + i))).isTrue();
                submittedPerGroup.computeIfAbsent("{}:{alertname=\"" + group + "\"}", g -> new ArrayList<>()).add(key);
            }
        }
        manager.submit(TestNotifications.firing("team", "A", "A-0", 1)); // a duplicate key: dropped by the log
        manager.tick();
        // The lane counts a success right after the store confirmed it: wait for the count too.
        RecordingReceiver.await("12 deliveries", 20_000, () -> receiver.accepted().size() >= 12
                && manager.store().pending().isEmpty() && registry.find("alerts.notifications")
                .tags("channel", "hook", "outcome", "success").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum() >= 12);

        List<RecordingReceiver.Accepted> accepted = receiver.accepted();
        assertThat(accepted).hasSize(12);
        assertThat(accepted).extracting(RecordingReceiver.Accepted::key).doesNotHaveDuplicates();
        assertThat(accepted).allMatch(RecordingReceiver.Accepted::signatureValid);
        Map<String, List<String>> receivedPerGroup = new LinkedHashMap<>();
        accepted.forEach(a -> receivedPerGroup.computeIfAbsent(a.groupKey(), g -> new ArrayList<>()).add(a.key()));
        assertThat(receivedPerGroup).isEqualTo(submittedPerGroup);
        assertThat(manager.store().log()).hasSize(12).allMatch(e -> e.outcome().equals(LogEntry.SENT));

        PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
        assertThat(scrape.value("alerts_notifications_total", "channel", "hook", "outcome", "success")).isEqualTo(12);
        assertThat(scrape.value("alerts_notifications_total", "channel", "hook", "outcome", "error")).isEqualTo(5);
        assertThat(scrape.value("alerts_notifications_total", "channel", "hook", "outcome", "duplicate")).isEqualTo(1);
        assertThat(scrape.value("alerts_notifications_total", "channel", "hook", "outcome", "dropped")).isZero();
        assertThat(scrape.value("alerts_notification_duration_seconds_count", "channel", "hook")).isEqualTo(17);
    }

    @Test
    void aRejectedNotificationIsLoggedOnceAndNotRetried() throws Exception {
        RecordingReceiver receiver = closeLater(new RecordingReceiver(null).then("400"));
        AlertManager manager = closeLater(manager()
                .channel(NotificationChannel.webhook("hook", receiver.url()).build()).route("team", "hook").build());
        manager.submit(TestNotifications.firing("team", "A", "bad", 1));
        manager.submit(TestNotifications.firing("team", "A", "good", 1));
        manager.tick();
        RecordingReceiver.await("the second notification", 10_000, () -> receiver.accepted().size() == 1);
        assertThat(receiver.requests()).isEqualTo(2);
        RecordingReceiver.await("log", 5_000, () -> manager.store().log().size() == 2);
        assertThat(manager.store().logged("hook", "bad")).get().extracting(LogEntry::outcome)
                .isEqualTo(LogEntry.REJECTED);
        assertThat(PrometheusScrape.parse(registry.scrape())
                .value("alerts_notifications_total", "channel", "hook", "outcome", "rejected")).isEqualTo(1);
    }

    /** A channel stuck forever (it even ignores interrupts) holds up neither the other channel nor the caller. */
    @Test
    void aChannelThatHangsForeverDelaysNeitherOtherChannelsNorTheCaller() throws Exception {
        List<String> fastReceived = new CopyOnWriteArrayList<>();
        NotificationChannel stuck = new NotificationChannel() {
            @Override
            public String name() {
                return "stuck";
            }

            @Override
            public Duration timeout() {
                return Duration.ofMillis(100);
            }

            @Override
            public void send(AlertNotification n) {
                while (!release.get()) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException ignored) {
                        // a badly written channel: it swallows the interrupt and keeps hanging
                    }
                }
            }
        };
        NotificationChannel fast = new NotificationChannel() {
            @Override
            public String name() {
                return "fast";
            }

            @Override
            public void send(AlertNotification n) {
                fastReceived.add(n.idempotencyKey());
            }
        };
        AlertManager manager = closeLater(AlertManager.builder(registry).stateDirectory(dir)
                .tickInterval(Duration.ofMillis(20)).retry(2, Duration.ofMillis(10), Duration.ofMillis(50))
                .channel(stuck).channel(fast).route("team", "stuck", "fast").build());

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 200; i++) {
                assertThat(manager.submit(TestNotifications.firing("team", "G", "k" + i, 1))).isTrue();
            }
            RecordingReceiver.await("fast channel", 9_000, () -> fastReceived.size() == 200);
        });
        assertThat(fastReceived).doesNotHaveDuplicates();
        assertThat(manager.store().pending()).allMatch(d -> d.channel().equals("stuck")).isNotEmpty();
        // at most 4 call threads are ever stranded by the stuck channel
        long stranded = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("vigil-notify-stuck-call-")).count();
        assertThat(stranded).isBetween(1L, 4L);
    }

    @Test
    void aFullQueueDropsWithACountAndALogLineAndNeverBlocks() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        NotificationChannel recording = new NotificationChannel() {
            @Override
            public String name() {
                return "rec";
            }

            @Override
            public void send(AlertNotification n) {
                received.add(n.idempotencyKey());
            }
        };
        AlertManager manager = closeLater(manager().queueCapacity(5).channel(recording).route("team", "rec").build());
        try (LogCapture log = new LogCapture()) {
            List<Boolean> accepted = new ArrayList<>();
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                for (int i = 0; i < 8; i++) {
                    accepted.add(manager.submit(TestNotifications.firing("team", "G", "k" + i, 1)));
                }
            });
            assertThat(accepted).containsExactly(true, true, true, true, true, false, false, false);
            assertThat(log.text()).contains("Alert manager queue is full (5 notifications); dropped k5 for receiver team");
        }
        assertThat(PrometheusScrape.parse(registry.scrape())
                .value("alerts_notifications_total", "channel", "rec", "outcome", "dropped")).isEqualTo(3);
        manager.tick();
        RecordingReceiver.await("5 deliveries", 5_000, () -> received.size() == 5);
        assertThat(received).containsExactly("k0", "k1", "k2", "k3", "k4");
    }

    @Test
    void configurationErrorsAreCaughtAtBuild() {
        NotificationChannel log = NotificationChannel.log("log");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> manager().channel(log).route("team", "nope").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("receiver 'team' routes to unknown channel 'nope'; channels: [log]");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> manager().channel(log).channel(NotificationChannel.log("log")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("two channels are named 'log'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> manager().queueCapacity(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A channel's own queue is bounded too: beyond it deliveries are dropped, counted and logged. */
    @Test
    void aFullChannelQueueDropsWithACountAndALogLine() throws Exception {
        java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);
        NotificationChannel slow = new NotificationChannel() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(30);
            }

            @Override
            public void send(AlertNotification n) throws InterruptedException {
                sending.countDown();
                while (!release.get()) {
                    Thread.sleep(10);
                }
            }
        };
        AlertManager manager = closeLater(manager().laneCapacity(2).channel(slow).route("team", "slow").build());
        manager.submit(TestNotifications.firing("team", "G", "k0", 1));
        manager.tick();
        assertThat(sending.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue(); // k0 is in flight
        try (LogCapture log = new LogCapture()) {
            for (int i = 1; i <= 5; i++) {
                manager.submit(TestNotifications.firing("team", "G", "k" + i, 1));
            }
            manager.tick();
            assertThat(log.text()).contains("Notification channel slow queue is full; dropped notification k3");
        }
        assertThat(PrometheusScrape.parse(registry.scrape())
                .value("alerts_notifications_total", "channel", "slow", "outcome", "dropped")).isEqualTo(3);
        assertThat(manager.store().pending()).extracting(PendingDelivery::idempotencyKey)
                .containsExactly("k0", "k1", "k2");
    }

    @Test
    void idempotencyKeysMustFitInAHeader() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestNotifications.firing("team", "G", "has space", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idempotency key must be 1 to 200 visible ASCII characters: has space");
    }

    /** Resilience4j's breaker per channel: once open, attempts stop reaching the receiver. */
    @Test
    void anOpenCircuitBreakerStopsCallingTheChannel() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        NotificationChannel failing = new NotificationChannel() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public void send(AlertNotification n) throws Exception {
                calls.incrementAndGet();
                throw new DeliveryFailure("failing: HTTP 503");
            }
        };
        try (LogCapture log = new LogCapture()) {
            AlertManager manager = closeLater(AlertManager.builder(registry).stateDirectory(dir)
                    .tickInterval(Duration.ZERO).retry(3, Duration.ofMillis(10), Duration.ofMillis(20))
                    .circuitBreaker(4, Duration.ofMinutes(10)).channel(failing).route("team", "failing").build());
            manager.submit(TestNotifications.firing("team", "G", "k", 1));
            manager.tick();
            // window 4 → the breaker judges after 2 calls; both failed, so the 3rd attempt is not permitted
            RecordingReceiver.await("a retry round ended by the open breaker", 10_000,
                    () -> log.text().contains("k still undelivered after 3 attempts, will keep trying: circuit breaker open"));
        }
        assertThat(calls.get()).isEqualTo(2);
        assertThat(PrometheusScrape.parse(registry.scrape())
                .value("alerts_notifications_total", "channel", "failing", "outcome", "error")).isEqualTo(2);
    }
}
