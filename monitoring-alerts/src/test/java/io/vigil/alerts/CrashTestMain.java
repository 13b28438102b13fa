package io.vigil.alerts;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The process {@link CrashTest} starts and kills: an AlertManager on a given store with two webhook channels on
 * one receiver — {@code hook} for receiver {@code team} (plain route, 20 notifications in 4 groups) and
 * {@code esc} for receiver {@code oncall} (escalation: level 0 at once, level 1 after 15 s — far enough that a loaded machine still kills the first process before it, repeat every 10 s).
 * Prints {@code CONFIRMED <key>} after each delivery was confirmed and logged, and {@code ACKED} once an
 * acknowledgement read from stdin ({@code ack <incident key>}) is in the store.
 *
 * <p>Arguments: {@code submit|recover <store> <webhook url> <escalation webhook url>}; store is
 * {@code file:<dir>} or a PostgreSQL JDBC URL.
 */
public final class CrashTestMain {

    static final int NOTIFICATIONS = 20;
    static final String[] GROUPS = {"A", "B", "C", "D"};
    static final String SIGNING_KEY = "crash-test-key";

    private CrashTestMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean submit = args[0].equals("submit");
        String store = args[1];
        AlertManager.Builder b = AlertManager.builder(new SimpleMeterRegistry()).tickInterval(Duration.ofMillis(50))
                .retry(3, Duration.ofMillis(20), Duration.ofMillis(200)).circuitBreaker(10, Duration.ofMillis(300))
                .channel(NotificationChannel.webhook("hook", URI.create(args[2])).signingKey(SIGNING_KEY)
                        .timeout(Duration.ofSeconds(20)).build())
                .channel(NotificationChannel.webhook("esc", URI.create(args[3])).signingKey(SIGNING_KEY)
                        .timeout(Duration.ofSeconds(20)).build())
                .route("team", "hook")
                .escalate("oncall", EscalationPolicy.builder().level(Duration.ZERO, "esc")
                        .level(Duration.ofSeconds(15), "esc").repeatEvery(Duration.ofSeconds(10)).build())
                .onDelivered(d -> {
                    System.out.println("CONFIRMED " + d.idempotencyKey());
                    System.out.flush();
                });
        if (store.startsWith("file:")) {
            b.stateDirectory(Path.of(store.substring("file:".length())));
        } else {
            org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
            ds.setURL(store);
            b.jdbcStore(ds);
        }
        AlertManager manager = b.build();
        System.out.println("STARTED");
        System.out.flush();
        if (submit) {
            manager.submit(TestNotifications.firing("oncall", "DbDown", "inc", 1));
            for (int i = 0; i < NOTIFICATIONS / GROUPS.length; i++) {
                for (String group : GROUPS) {
                    manager.submit(TestNotifications.firing("team", group, group + "-" + i, 1));
                }
            }
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("ack ")) {
                manager.acknowledge(line.substring(4), "crash-test");
                while (manager.store().acknowledgements().isEmpty()) {
                    Thread.sleep(10);
                }
                System.out.println("ACKED");
                System.out.flush();
            }
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
