package io.vigil.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The default store: a directory holding {@code snapshot.jsonl} (the compacted state) and {@code journal.jsonl}
 * (every change since, one JSON object per line, appended and fsynced before the call returns).
 *
 * <p>Every {@code compactEvery} appends the state is written to {@code snapshot.jsonl.tmp}, fsynced, renamed
 * atomically over the snapshot (the directory fsynced too), then the journal is emptied. Replaying is
 * idempotent, so a crash between the rename and the reset is harmless. A torn last journal line (a crash in the
 * middle of an append) is logged, cut off and ignored: its change was never confirmed to anyone. Anything else
 * unreadable stops the store from opening rather than silently losing state. A lock file keeps a second process
 * out.
 */
final class FileDeliveryStore implements DeliveryStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileDeliveryStore.class);
    static final String SNAPSHOT = "snapshot.jsonl";
    static final String JOURNAL = "journal.jsonl";

    private final Path dir;
    private final int compactEvery;
    private final StoreState state;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /**
     * Classic stream I/O on purpose: an NIO {@code FileChannel} is closed for good when the thread writing to it is
     * interrupted (as a shutting-down worker is), a {@code FileOutputStream} is not.
     */
    private FileOutputStream journal;
    private int appendsSinceCompaction;
    private Instant lastTime = Instant.EPOCH;

    FileDeliveryStore(Path dir, Duration retention, int maxLogEntries, int compactEvery) {
        this.dir = dir;
        this.compactEvery = compactEvery;
        this.state = new StoreState(retention, maxLogEntries);
        try {
            Files.createDirectories(dir);
            lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock acquired;
            try {
                acquired = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                acquired = null;
            }
            if (acquired == null) {
                lockChannel.close();
                throw new IllegalStateException("delivery store " + dir + " is in use by another AlertManager");
            }
            lock = acquired;
            Files.deleteIfExists(dir.resolve(SNAPSHOT + ".tmp"));
            readSnapshot();
            long good = replayJournal();
            try (RandomAccessFile file = new RandomAccessFile(dir.resolve(JOURNAL).toFile(), "rw")) {
                if (file.length() > good) {
                    file.setLength(good);
                    file.getFD().sync();
                }
            }
            journal = new FileOutputStream(dir.resolve(JOURNAL).toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open delivery store " + dir, e);
        }
    }

    private void readSnapshot() throws IOException {
        Path snapshot = dir.resolve(SNAPSHOT);
        if (!Files.exists(snapshot)) {
            return;
        }
        int line = 0;
        for (String text : Files.readAllLines(snapshot, StandardCharsets.UTF_8)) {
            line++;
            try {
                apply(NotificationJson.MAPPER.readTree(text));
            } catch (JsonProcessingException | RuntimeException e) {
                throw new IllegalStateException("delivery store snapshot " + snapshot + " is corrupt at line " + line
                        + "; it is written atomically, so this is damage from outside", e);
            }
        }
    }

    /** Replays the journal; returns the byte length of its intact prefix. */
    private long replayJournal() throws IOException {
        Path file = dir.resolve(JOURNAL);
        if (!Files.exists(file)) {
            return 0;
        }
        byte[] bytes = Files.readAllBytes(file);
        int start = 0;
        int line = 0;
        while (start < bytes.length) {
            line++;
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            boolean last = end >= bytes.length - 1;
            String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            JsonNode node = null;
            if (end < bytes.length) {
                try {
                    node = NotificationJson.MAPPER.readTree(text);
                } catch (JsonProcessingException e) {
                    node = null;
                }
            }
            if (node == null || !node.isObject()) {
                if (last) {
                    LOG.warn("Delivery store journal {}: torn last record at line {} ({} bytes) ignored; it was never"
                            + " confirmed", file, line, bytes.length - start);
                    return start;
                }
                throw new IllegalStateException("delivery store journal " + file + " is corrupt at line " + line
                        + " (not the last record, so not a torn write)");
            }
            apply(node);
            start = end + 1;
        }
        return start;
    }

    private void apply(JsonNode r) {
        String op = r.path("op").asText();
        switch (op) {
            case "pending" -> state.putPending(new PendingDelivery(r.path("seq").asLong(), r.path("channel").asText(),
                    r.path("key").asText(), Instant.parse(r.path("created").asText()),
                    NotificationJson.fromNode(r.path("notification"))));
            case "complete" -> state.complete(r.path("seq").asLong(), r.path("outcome").asText(),
                    Instant.parse(r.path("at").asText()));
            case "log" -> state.putLog(new LogEntry(r.path("channel").asText(), r.path("key").asText(),
                    r.path("receiver").asText(), r.path("groupKey").asText(), r.path("outcome").asText(),
                    Instant.parse(r.path("at").asText())));
            case "seq" -> state.nextSeq = Math.max(state.nextSeq, r.path("next").asLong());
            case "silence" -> state.silences.put(r.path("id").asText(), new SilenceRecord(r.path("id").asText(),
                    r.path("json").asText(), r.hasNonNull("endsAt") ? Instant.parse(r.path("endsAt").asText()) : null));
            case "unsilence" -> state.silences.remove(r.path("id").asText());
            case "ack" -> state.acks.put(r.path("incident").asText(), new Acknowledgement(r.path("incident").asText(),
                    r.path("by").asText(), Instant.parse(r.path("at").asText())));
            case "unack" -> state.acks.remove(r.path("incident").asText());
            case "escalation" -> {
                EscalationState s = EscalationState.fromJson(r.path("state"));
                state.escalations.put(s.incidentKey(), s);
            }
            case "unescalation" -> state.escalations.remove(r.path("incident").asText());
            default -> throw new IllegalStateException("unknown journal operation '" + op + "'");
        }
    }

    // --- records -------------------------------------------------------------------------------------------

    private static ObjectNode record(String op) {
        ObjectNode node = NotificationJson.MAPPER.createObjectNode();
        node.put("op", op);
        return node;
    }

    private static ObjectNode pendingRecord(PendingDelivery d) {
        ObjectNode r = record("pending");
        r.put("seq", d.seq());
        r.put("channel", d.channel());
        r.put("key", d.idempotencyKey());
        r.put("created", d.createdAt().toString());
        r.set("notification", EscalationState.readTree(NotificationJson.toStored(d.notification())));
        return r;
    }

    private static ObjectNode logRecord(LogEntry e) {
        ObjectNode r = record("log");
        r.put("channel", e.channel());
        r.put("key", e.idempotencyKey());
        r.put("receiver", e.receiver());
        r.put("groupKey", e.groupKey());
        r.put("outcome", e.outcome());
        r.put("at", e.at().toString());
        return r;
    }

    private static ObjectNode silenceRecord(SilenceRecord s) {
        ObjectNode r = record("silence");
        r.put("id", s.id());
        r.put("json", s.json());
        if (s.endsAt() != null) {
            r.put("endsAt", s.endsAt().toString());
        }
        return r;
    }

    private static ObjectNode ackRecord(Acknowledgement a) {
        ObjectNode r = record("ack");
        r.put("incident", a.incidentKey());
        r.put("by", a.by());
        r.put("at", a.at().toString());
        return r;
    }

    private static ObjectNode escalationRecord(EscalationState s) {
        ObjectNode r = record("escalation");
        r.set("state", s.toJson());
        return r;
    }

    private void append(ObjectNode r) {
        byte[] line = (NotificationJson.write(r) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            journal.write(line);
            journal.getFD().sync();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to delivery store journal in " + dir, e);
        }
        if (++appendsSinceCompaction >= compactEvery) {
            compact();
        }
    }

    /** Writes the whole state as a new snapshot and empties the journal. */
    synchronized void compact() {
        state.prune(lastTime);
        List<ObjectNode> records = new ArrayList<>();
        ObjectNode seq = record("seq");
        seq.put("next", state.nextSeq);
        records.add(seq);
        state.log.values().forEach(e -> records.add(logRecord(e)));
        state.pending.values().forEach(d -> records.add(pendingRecord(d)));
        state.silences.values().forEach(s -> records.add(silenceRecord(s)));
        state.acks.values().forEach(a -> records.add(ackRecord(a)));
        state.escalations.values().forEach(s -> records.add(escalationRecord(s)));
        Path tmp = dir.resolve(SNAPSHOT + ".tmp");
        try (FileOutputStream out = new FileOutputStream(tmp.toFile(), false)) {
            StringBuilder text = new StringBuilder();
            for (ObjectNode r : records) {
                text.append(NotificationJson.write(r)).append('\n');
            }
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.getFD().sync();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write delivery store snapshot in " + dir, e);
        }
        try {
            Files.move(tmp, dir.resolve(SNAPSHOT), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            forceDirectory();
            journal.close();
            journal = new FileOutputStream(dir.resolve(JOURNAL).toFile(), false); // truncates
            journal.getFD().sync();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install delivery store snapshot in " + dir, e);
        }
        appendsSinceCompaction = 0;
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for fsync; the rename is still atomic there.
            LOG.debug("directory fsync not supported for {}", dir);
        }
    }

    private void touch(Instant now) {
        if (now.isAfter(lastTime)) {
            lastTime = now;
        }
    }

    // --- DeliveryStore -------------------------------------------------------------------------------------

    @Override
    public synchronized Optional<PendingDelivery> addPending(String channel, String key, AlertNotification n, Instant now) {
        touch(now);
        if (state.known(channel, key)) {
            return Optional.empty();
        }
        PendingDelivery d = new PendingDelivery(state.nextSeq, channel, key, now, n);
        state.putPending(d);
        append(pendingRecord(d));
        return Optional.of(d);
    }

    @Override
    public synchronized void complete(long seq, String outcome, Instant at) {
        touch(at);
        if (!state.pending.containsKey(seq)) {
            return;
        }
        state.complete(seq, outcome, at);
        ObjectNode r = record("complete");
        r.put("seq", seq);
        r.put("outcome", outcome);
        r.put("at", at.toString());
        append(r);
    }

    @Override
    public synchronized List<PendingDelivery> pending() {
        return state.pendingList();
    }

    @Override
    public synchronized Optional<LogEntry> logged(String channel, String key) {
        return state.logged(channel, key);
    }

    @Override
    public synchronized List<LogEntry> log() {
        return new ArrayList<>(state.log.values());
    }

    @Override
    public synchronized void putSilence(SilenceRecord silence) {
        state.silences.put(silence.id(), silence);
        append(silenceRecord(silence));
    }

    @Override
    public synchronized void removeSilence(String id) {
        if (state.silences.remove(id) != null) {
            ObjectNode r = record("unsilence");
            r.put("id", id);
            append(r);
        }
    }

    @Override
    public synchronized List<SilenceRecord> silences() {
        return new ArrayList<>(state.silences.values());
    }

    @Override
    public synchronized void putAcknowledgement(Acknowledgement ack) {
        touch(ack.at());
        state.acks.put(ack.incidentKey(), ack);
        append(ackRecord(ack));
    }

    @Override
    public synchronized void removeAcknowledgement(String incidentKey) {
        if (state.acks.remove(incidentKey) != null) {
            ObjectNode r = record("unack");
            r.put("incident", incidentKey);
            append(r);
        }
    }

    @Override
    public synchronized List<Acknowledgement> acknowledgements() {
        return new ArrayList<>(state.acks.values());
    }

    @Override
    public synchronized void putEscalation(EscalationState s) {
        state.escalations.put(s.incidentKey(), s);
        append(escalationRecord(s));
    }

    @Override
    public synchronized void removeEscalation(String incidentKey) {
        if (state.escalations.remove(incidentKey) != null) {
            ObjectNode r = record("unescalation");
            r.put("incident", incidentKey);
            append(r);
        }
    }

    @Override
    public synchronized List<EscalationState> escalations() {
        return new ArrayList<>(state.escalations.values());
    }

    @Override
    public synchronized void close() {
        try {
            journal.close();
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("closing delivery store {}: {}", dir, e.toString());
        }
    }

    @Override
    public String toString() {
        return "FileDeliveryStore{" + dir + "}";
    }
}
