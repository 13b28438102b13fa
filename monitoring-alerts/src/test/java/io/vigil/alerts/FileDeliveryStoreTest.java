package io.vigil.alerts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileDeliveryStoreTest extends DeliveryStoreContract {

    @TempDir
    Path dir;

    int compactEvery = 1000;

    @Override
    DeliveryStore open() {
        return new FileDeliveryStore(dir, Duration.ofDays(7), 1000, compactEvery);
    }

    @Test
    void aTornLastRecordIsCutOffAndLogged() throws Exception {
        store = open();
        AlertNotification n = TestNotifications.firing("team", "A", "k1", 1);
        store.addPending("hook", "k1", n, NOW).orElseThrow();
        store.close();
        Path journal = dir.resolve(FileDeliveryStore.JOURNAL);
        long intact = Files.size(journal);
        Files.writeString(journal, "{\"op\":\"pending\",\"seq\":2,\"chan", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        try (LogCapture log = new LogCapture()) {
            store = open();
            assertThat(log.text()).contains("torn last record at line 2").contains("ignored");
        }
        assertThat(store.pending()).extracting(PendingDelivery::idempotencyKey).containsExactly("k1");
        assertThat(Files.size(journal)).isEqualTo(intact);
        store.addPending("hook", "k2", n, NOW).orElseThrow();
        restart();
        assertThat(store.pending()).extracting(PendingDelivery::idempotencyKey).containsExactly("k1", "k2");
    }

    @Test
    void corruptionBeforeTheLastRecordRefusesToOpen() throws Exception {
        store = open();
        AlertNotification n = TestNotifications.firing("team", "A", "k1", 1);
        store.addPending("hook", "k1", n, NOW).orElseThrow();
        store.close();
        store = null;
        Path journal = dir.resolve(FileDeliveryStore.JOURNAL);
        String text = Files.readString(journal);
        Files.writeString(journal, "garbage\n" + text);
        assertThatThrownBy(this::open).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("corrupt at line 1");
    }

    @Test
    void compactionWritesASnapshotAndEmptiesTheJournal() throws Exception {
        compactEvery = 5;
        store = open();
        AlertNotification n = TestNotifications.firing("team", "A", "k", 1);
        for (int i = 0; i < 7; i++) {
            PendingDelivery d = store.addPending("hook", "k" + i, n, NOW).orElseThrow();
            if (i % 2 == 0) {
                store.complete(d.seq(), LogEntry.SENT, NOW);
            }
        }
        // 11 appends: compacted after the 5th and the 10th, one record in the journal since
        assertThat(Files.readAllLines(dir.resolve(FileDeliveryStore.JOURNAL))).hasSize(1);
        assertThat(Files.exists(dir.resolve(FileDeliveryStore.SNAPSHOT))).isTrue();
        assertThat(Files.exists(dir.resolve(FileDeliveryStore.SNAPSHOT + ".tmp"))).isFalse();
        restart();
        assertThat(store.pending()).extracting(PendingDelivery::idempotencyKey).containsExactly("k1", "k3", "k5");
        assertThat(store.log()).extracting(LogEntry::idempotencyKey).containsExactly("k0", "k2", "k4", "k6");
    }

    /** A crash after the snapshot's rename but before the journal reset replays the journal over it. */
    @Test
    void replayingAJournalOverASnapshotThatHoldsItIsHarmless() throws Exception {
        store = open();
        AlertNotification n = TestNotifications.firing("team", "A", "k", 1);
        PendingDelivery d = store.addPending("hook", "k1", n, NOW).orElseThrow();
        store.addPending("hook", "k2", n, NOW).orElseThrow();
        store.complete(d.seq(), LogEntry.SENT, NOW);
        store.close();
        Path journal = dir.resolve(FileDeliveryStore.JOURNAL);
        byte[] saved = Files.readAllBytes(journal);
        store = open();
        ((FileDeliveryStore) store).compact();
        store.close();
        Files.write(journal, saved); // as if the reset never happened
        store = open();
        assertThat(store.pending()).extracting(PendingDelivery::idempotencyKey).containsExactly("k2");
        assertThat(store.log()).extracting(LogEntry::idempotencyKey).containsExactly("k1");
        assertThat(store.addPending("hook", "k3", n, NOW).orElseThrow().seq()).isEqualTo(3);
    }

    @Test
    void logRetentionPrunesAtCompaction() {
        store = new FileDeliveryStore(dir, Duration.ofHours(1), 3, 1000);
        AlertNotification n = TestNotifications.firing("team", "A", "k", 1);
        for (int i = 0; i < 5; i++) {
            PendingDelivery d = store.addPending("hook", "k" + i, n, NOW).orElseThrow();
            store.complete(d.seq(), LogEntry.SENT, NOW.plusSeconds(i));
        }
        assertThat(store.log()).extracting(LogEntry::idempotencyKey).containsExactly("k2", "k3", "k4");
        store.addPending("hook", "late", n, NOW.plus(Duration.ofHours(2))).orElseThrow();
        ((FileDeliveryStore) store).compact();
        assertThat(store.log()).isEmpty();
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() {
        store = open();
        assertThatThrownBy(this::open).isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
    }

    /** A worker interrupted while it writes (shutdown) must not close the journal for everyone else. */
    @Test
    void anInterruptedWriterDoesNotBreakTheStore() {
        store = open();
        AlertNotification n = TestNotifications.firing("team", "A", "k", 1);
        Thread.currentThread().interrupt();
        try {
            store.addPending("hook", "k1", n, NOW).orElseThrow();
        } finally {
            Thread.interrupted();
        }
        store.addPending("hook", "k2", n, NOW).orElseThrow();
        restart();
        assertThat(store.pending()).extracting(PendingDelivery::idempotencyKey).containsExactly("k1", "k2");
    }
}
