package io.vigil.alerts;

import io.vigil.jdbc.testkit.SharedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a real JVM ({@code destroyForcibly}, i.e. SIGKILL) mid-retry and mid-escalation, restarts it on the same
 * store, and checks at a real receiver that no confirmed notification arrives twice and every pending one
 * arrives — on the file store and on PostgreSQL.
 */
@ExtendWith(SharedPostgres.class)
class CrashTest {

    @TempDir
    Path dir;

    private final List<Child> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Child::kill);
    }

    /** One child JVM running {@link CrashTestMain}, its stdout lines collected. */
    private final class Child {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Writer stdin;

        Child(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    CrashTestMain.class.getName()));
            command.addAll(List.of(args));
            process = new ProcessBuilder(command)
                    .redirectError(dir.resolve("child-" + children.size() + ".err").toFile()).start();
            stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the child was killed
                }
            });
            reader.setDaemon(true);
            reader.start();
            children.add(this);
        }

        long confirmed() {
            return lines.stream().filter(l -> l.startsWith("CONFIRMED ")).count();
        }

        void send(String line) throws IOException {
            stdin.write(line + "\n");
            stdin.flush();
        }

        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String fileStore() {
        return "file:" + dir.resolve("store");
    }

    private String postgresStore() throws Exception {
        DeliveryTables.dropAll();
        return SharedPostgres.jdbcUrl();
    }

    @Test
    void killedMidRetryAndMidEscalationOnTheFileStore() throws Exception {
        killedAndRestarted(fileStore());
    }

    @Test
    void killedMidRetryAndMidEscalationOnPostgres() throws Exception {
        killedAndRestarted(postgresStore());
    }

    private void killedAndRestarted(String store) throws Exception {
        try (RecordingReceiver receiver = new RecordingReceiver(CrashTestMain.SIGNING_KEY)) {
            receiver.answerAlways(500);
            receiver.then("200", "200", "200", "200", "200", "200");
            String[] urls = {receiver.url().toString(), receiver.escalationUrl().toString()};
            Child first = new Child("submit", store, urls[0], urls[1]);
            try {
                RecordingReceiver.await("6 confirmed, failing retries, escalation level 0", 30_000,
                        () -> first.lines.contains("CONFIRMED inc#L0") && first.confirmed() >= 7
                                && receiver.requests() >= 14);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; child printed " + first.lines + ", receiver saw "
                        + receiver.requests() + " requests", e);
            }
            first.kill(); // mid-retry (the 7th notification is failing, 13 wait) and mid-escalation (level 1 due at 15 s)
            List<String> confirmedBeforeKill = first.lines.stream().filter(l -> l.startsWith("CONFIRMED "))
                    .map(l -> l.substring("CONFIRMED ".length())).toList();
            assertThat(confirmedBeforeKill).hasSize(7).contains("inc#L0").doesNotContain("inc#L1");
            int arrivedBeforeKill = receiver.accepted().size();

            receiver.answerAlways(200);
            Child second = new Child("recover", store, urls[0], urls[1]);
            RecordingReceiver.await("every notification and escalation level 1", 60_000,
                    () -> second.confirmed() == 15 && second.lines.contains("CONFIRMED inc#L1"));
            String incident = "oncall/" + TestNotifications.firing("oncall", "DbDown", "inc", 1).groupKey();
            second.send("ack " + incident);
            RecordingReceiver.await("acknowledged", 10_000, () -> second.lines.contains("ACKED"));
            second.kill();

            List<RecordingReceiver.Accepted> accepted = receiver.accepted();
            // nothing confirmed before the kill arrived again after it
            assertThat(accepted.subList(arrivedBeforeKill, accepted.size()))
                    .extracting(RecordingReceiver.Accepted::key).doesNotContainAnyElementsOf(confirmedBeforeKill);
            // every notification arrived, exactly once per idempotency key
            Map<String, Long> perKey = accepted.stream().collect(
                    Collectors.groupingBy(RecordingReceiver.Accepted::key, LinkedHashMap::new, Collectors.counting()));
            assertThat(perKey).hasSize(CrashTestMain.NOTIFICATIONS + 2)
                    .allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
            assertThat(accepted).allMatch(RecordingReceiver.Accepted::signatureValid);
            // in order per group, across the crash
            Map<String, List<String>> perGroup = accepted.stream().filter(a -> !a.key().startsWith("inc"))
                    .collect(Collectors.groupingBy(a -> a.key().substring(0, 1), LinkedHashMap::new,
                            Collectors.mapping(RecordingReceiver.Accepted::key, Collectors.toList())));
            for (String group : CrashTestMain.GROUPS) {
                assertThat(perGroup.get(group)).containsExactly(group + "-0", group + "-1", group + "-2",
                        group + "-3", group + "-4");
            }
            Function<RecordingReceiver.Accepted, String> key = RecordingReceiver.Accepted::key;
            assertThat(accepted).extracting(key).filteredOn(k -> k.startsWith("inc")).containsExactly("inc#L0", "inc#L1");

            // the acknowledged escalation survived the second kill: no re-notification follows
            DeliveryStore reopened = store.startsWith("file:")
                    ? new FileDeliveryStore(Path.of(store.substring(5)), Duration.ofDays(7), 1000, 1000)
                    : new JdbcDeliveryStore(SharedPostgres.dataSource(), Duration.ofDays(7), 1000);
            try {
                assertThat(reopened.escalations()).singleElement().satisfies(s -> {
                    assertThat(s.acknowledged()).isTrue();
                    assertThat(s.level()).isEqualTo(1);
                    assertThat(s.repeats()).isZero();
                });
                assertThat(reopened.pending()).isEmpty();
                assertThat(reopened.log()).hasSize(CrashTestMain.NOTIFICATIONS + 2)
                        .allMatch(e -> e.outcome().equals(LogEntry.SENT));
            } finally {
                reopened.close();
            }
        }
    }
}
