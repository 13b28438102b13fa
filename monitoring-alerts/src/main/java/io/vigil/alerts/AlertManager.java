package io.vigil.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.core.alert.CorrelationEngine;
import io.vigil.core.alert.DependencyGraph;
import io.vigil.core.internal.InternalErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The delivery runtime: takes notifications (from the correlation engine, or anyone), routes each receiver to
 * its channels or its {@link EscalationPolicy}, and delivers at least once with deduplication by idempotency key,
 * durably across restarts.
 *
 * <pre>{@code
 * AlertManager manager = AlertManager.builder(registry)
 *     .channel(NotificationChannel.webhook("ops-hook", URI.create("https://ops.example/hook")).signingKey(key).build())
 *     .channel(NotificationChannel.pagerDuty("pd", routingKey).build())
 *     .route("team-log", "ops-hook")
 *     .escalate("db-oncall", EscalationPolicy.builder().level(Duration.ZERO, "ops-hook")
 *         .level(Duration.ofMinutes(15), "pd").repeatEvery(Duration.ofHours(1)).build())
 *     .stateDirectory(Path.of("/var/lib/myservice/vigil"))
 *     .build();
 * manager.submit(notification);            // never blocks; false (counted, logged) when the queue is full
 * manager.acknowledge("db-oncall/{}:{service=\"db\"}", "alice");
 * }</pre>
 *
 * <p>Threads: {@link #submit} only offers to a bounded queue. A control thread records deliveries in the store
 * and drives escalation on the clock; each channel has its own worker and call threads (see the module README).
 * With {@code tickInterval(Duration.ZERO)} there is no control thread and the caller drives everything with
 * {@link #tick()} — for tests on a fake clock.
 */
public final class AlertManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertManager.class);

    private final Clock clock;
    private final DeliveryStore store;
    private final Dispatcher dispatcher;
    private final Escalations escalations;
    private final Map<String, List<String>> routes;
    private final BlockingQueue<Object> intake;
    private final InternalErrors errors;
    private final RateLimitedLog overflow = new RateLimitedLog(LOG, 1, TimeUnit.MINUTES);
    private final Object control = new Object();
    private final Thread controlThread;
    private final Duration tickInterval;
    private final CorrelationEngine correlation;
    private final io.vigil.core.alert.Route configRoute;
    private final String configText;
    private final String nodeId;
    private volatile Consumer<io.vigil.core.alert.Notification> correlated = n -> { };
    /** Per engine kept in step with the shared store's silences (this manager's own, each servlet's). */
    private final Map<CorrelationEngine, SilenceSync> silenceSyncs =
            Collections.synchronizedMap(new WeakHashMap<>());
    private volatile boolean running = true;

    private record Ack(String incidentKey, String by) {
    }

    private record End(String incidentKey) {
    }

    /**
     * A correlation-engine notification, with what a shared store needs to claim it against the other nodes;
     * {@code notification} is null when there is nobody to tell (all resolved, no {@code send_resolved}).
     */
    private record FromEngine(AlertNotification notification, GroupClaim claim) {
    }

    private AlertManager(Builder b) {
        this.clock = b.clock;
        this.tickInterval = b.tickInterval;
        this.routes = Map.copyOf(b.routes);
        this.intake = new ArrayBlockingQueue<>(b.queueCapacity);
        this.errors = InternalErrors.forComponent(b.registry, "alerts.delivery");
        this.store = b.dataSource != null
                ? new JdbcDeliveryStore(b.dataSource, b.logRetention, b.maxLogEntries, b.nodeId, b.lease)
                : new FileDeliveryStore(b.stateDirectory, b.logRetention, b.maxLogEntries, b.compactEvery);
        DeliveryPolicy policy = new DeliveryPolicy(b.maxAttempts, b.initialBackoff, b.maxBackoff, 0.5,
                b.maxDeliveryAge, b.breakerWindow, b.breakerOpenFor, b.laneCapacity, 4);
        this.dispatcher = new Dispatcher(new ArrayList<>(b.channels.values()), store, clock, policy, b.registry,
                b.onDelivered);
        this.escalations = new Escalations(Map.copyOf(b.policies), dispatcher, store, b.registry);
        this.correlation = b.correlation;
        this.configRoute = b.configRoute;
        this.configText = b.configYaml;
        this.nodeId = b.nodeId;
        if (correlation != null) {
            // The silences stored by saveSilence outlive a restart: the correlation engine starts with them.
            for (io.vigil.core.alert.Silence silence : silences()) {
                try {
                    correlation.addSilence(silence, clock.instant());
                } catch (RuntimeException e) {
                    errors.record(e);
                }
            }
        }
        dispatcher.start();
        if (tickInterval.isZero()) {
            controlThread = null;
        } else {
            controlThread = new Thread(this::runControl, "vigil-alert-manager");
            controlThread.setDaemon(true);
            controlThread.start();
        }
    }

    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    /**
     * Accepts {@code notification} for delivery. Never blocks and never throws: when the queue is full the
     * notification is dropped, counted ({@code alerts.notifications{outcome="dropped"}} for each channel of its
     * receiver) and logged (rate-limited), and {@code false} is returned.
     */
    public boolean submit(AlertNotification notification) {
        if (notification == null) {
            return false;
        }
        if (running && intake.offer(notification)) {
            return true;
        }
        try {
            for (String channel : channelsOf(notification.receiver())) {
                dispatcher.countDropped(channel);
            }
            overflow.warn("Alert manager queue is full ({} notifications); dropped {} for receiver {}",
                    intake.size(), notification.idempotencyKey(), notification.receiver());
        } catch (RuntimeException e) {
            errors.record(e);
        }
        return false;
    }

    /**
     * Accepts what the correlation engine emitted ({@code CorrelationEngine.tick}), as {@link #submit(AlertNotification)}
     * does. An all-resolved notification for a receiver without {@code send_resolved} is not sent.
     */
    public boolean submit(io.vigil.core.alert.Notification notification) {
        try {
            if (notification == null) {
                return false;
            }
            if (notification.allResolved() && !notification.sendResolved() && escalations.handles(notification.receiver())
                    && !store.shared()) {
                // Nobody wants the resolve, but the escalation must still end.
                return running && intake.offer(new End(notification.receiver() + "/" + notification.groupKey()));
            }
            Optional<AlertNotification> converted = CoreNotifications.from(notification);
            if (!store.shared()) {
                return converted.map(this::submit).orElse(true);
            }
            // Claimed even when nobody is told (all resolved, no send_resolved): the shared log must say so.
            if (running && intake.offer(new FromEngine(converted.orElse(null), GroupClaim.of(notification)))) {
                return true;
            }
            return converted.map(this::submit).orElse(false); // counts and logs the drop
        } catch (RuntimeException e) {
            errors.record(e);
            return false;
        }
    }

    /**
     * Takes alerts into the correlation engine configured by {@link Builder#alertmanagerConfig(Path)} (what an
     * {@link AlertEngine} built with {@link AlertEngine.Builder#alertManager} sends after each evaluation, or what
     * Prometheus posts): they are grouped, inhibited, silenced and correlated by the dependency graph, and the
     * control thread delivers the notifications as their group timers fall due. Never throws; returns how many
     * were taken (0 without a configuration, or when the engine is full — counted in its stats).
     */
    public int receive(Collection<io.vigil.core.alert.Alert> alerts) {
        if (correlation == null || alerts == null || !running) {
            return 0;
        }
        try {
            return correlation.receive(alerts, clock.instant());
        } catch (RuntimeException e) {
            errors.record(e);
            return 0;
        }
    }

    /** Flushes the correlation engine's due groups into delivery; on the control thread (or {@link #tick()}). */
    private void correlate() {
        if (correlation == null) {
            return;
        }
        try {
            for (io.vigil.core.alert.Notification n : correlation.tick(clock.instant())) {
                observe(n);
                if (store.shared()) {
                    handle(new FromEngine(CoreNotifications.from(n).orElse(null), GroupClaim.of(n)));
                } else if (n.allResolved() && !n.sendResolved() && escalations.handles(n.receiver())) {
                    handle(new End(n.receiver() + "/" + n.groupKey()));
                } else {
                    CoreNotifications.from(n).ifPresent(this::handle);
                }
            }
        } catch (RuntimeException e) {
            errors.record(e);
        }
    }

    /** The correlation engine built from the Alertmanager configuration, or null (the HTTP API, tests). */
    CorrelationEngine correlation() {
        return correlation;
    }

    /** The route tree of the Alertmanager configuration, or null without one. */
    io.vigil.core.alert.Route configRoute() {
        return configRoute;
    }

    /** The text of the Alertmanager configuration, or null without one. */
    String configText() {
        return configText;
    }

    /**
     * Sees every notification the correlation engine emits on the control thread, before delivery (the HTTP API
     * keeps its per-incident log with it). One observer; it must not block.
     */
    void onCorrelated(Consumer<io.vigil.core.alert.Notification> observer) {
        this.correlated = Objects.requireNonNull(observer, "observer");
    }

    private void observe(io.vigil.core.alert.Notification n) {
        try {
            correlated.accept(n);
        } catch (RuntimeException e) {
            errors.record(e);
        }
    }

    /**
     * Acknowledges an incident: its escalation stops (no further level, no re-notification); its resolve is still
     * delivered. The incident key is {@code receiver + "/" + groupKey}. Never blocks; false when the queue is full.
     */
    public boolean acknowledge(String incidentKey, String by) {
        Objects.requireNonNull(incidentKey, "incidentKey");
        return running && intake.offer(new Ack(incidentKey, by == null ? "" : by));
    }

    /**
     * Stores a silence durably (synchronously: call it from the API thread that creates the silence, not from a
     * hot path). Its id must be set — {@code CorrelationEngine.addSilence} returns the silence with one.
     */
    public void saveSilence(io.vigil.core.alert.Silence silence) {
        store.putSilence(SilenceJson.toRecord(silence));
    }

    /** Removes a stored silence. */
    public void deleteSilence(String id) {
        store.removeSilence(id);
    }

    /** The stored silences, to load into the correlation engine at start. Pruned after the log retention. */
    public List<io.vigil.core.alert.Silence> silences() {
        List<io.vigil.core.alert.Silence> list = new ArrayList<>();
        for (SilenceRecord r : store.silences()) {
            list.add(SilenceJson.fromRecord(r));
        }
        return list;
    }

    /**
     * On a store shared with other nodes, brings {@code engine} the silences another node created, updated or
     * expired through its API (the {@link AlertsServlet} calls this before each tick; the control thread does it
     * for the engine of {@link Builder#alertmanagerConfig}). One query; does nothing on a store of one process.
     */
    void shareSilences(CorrelationEngine engine) {
        if (!store.shared() || engine == null) {
            return;
        }
        try {
            List<SilenceRecord> stored = store.silences();
            silenceSyncs.computeIfAbsent(engine, e -> new SilenceSync()).apply(stored, engine, clock.instant(), errors);
        } catch (RuntimeException e) {
            errors.record(e);
        }
    }

    /**
     * This node as Alertmanager's {@code GET /api/v2/status} shows a cluster member: {@code disabled} without
     * {@link Builder#cluster}; else {@code ready} with the live nodes as peers once this node's lease as a live
     * node is in the database (its first tick), {@code settling} before that or while the database cannot be read.
     * One query; on the caller's thread.
     */
    ClusterStatus clusterStatus() {
        if (nodeId == null) {
            return ClusterStatus.DISABLED;
        }
        try {
            List<PeerStatus> peers = store.liveNodes(clock.instant());
            boolean ready = peers.stream().anyMatch(p -> p.name().equals(nodeId));
            return new ClusterStatus(nodeId, ready ? "ready" : "settling", peers);
        } catch (RuntimeException e) {
            errors.record(e);
            return new ClusterStatus(nodeId, "settling", List.of());
        }
    }

    /** Shared store: leases, deliveries dead nodes left, silences; on the control thread (or {@link #tick()}). */
    private void coordinate() {
        if (!store.shared()) {
            return;
        }
        try {
            dispatcher.takeOver();
        } catch (RuntimeException e) {
            errors.record(e);
        }
        shareSilences(correlation);
    }

    /** The key {@link #acknowledge} takes for the incident {@code notification} belongs to. */
    public static String incidentKey(AlertNotification notification) {
        return Escalations.incidentKey(notification);
    }

    /**
     * Runs one control cycle on the calling thread: handles everything submitted so far and advances escalation
     * to the clock's now. The control thread calls it every tick interval; call it yourself when the tick
     * interval is zero.
     */
    public void tick() {
        synchronized (control) {
            Object command;
            while ((command = intake.poll()) != null) {
                handle(command);
            }
            coordinate();
            correlate();
            try {
                escalations.tick(clock.instant());
            } catch (RuntimeException e) {
                errors.record(e);
            }
        }
    }

    private void runControl() {
        long intervalNanos = tickInterval.toNanos();
        long nextTick = System.nanoTime();
        while (running) {
            try {
                long wait = Math.max(0, nextTick - System.nanoTime());
                Object command = intake.poll(wait, TimeUnit.NANOSECONDS);
                synchronized (control) {
                    if (command != null) {
                        handle(command);
                    }
                    if (System.nanoTime() - nextTick >= 0) {
                        coordinate();
                        correlate();
                        escalations.tick(clock.instant());
                        nextTick = System.nanoTime() + intervalNanos;
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                errors.record(e);
            }
        }
    }

    private void handle(Object command) {
        try {
            if (command instanceof Ack ack) {
                if (!escalations.acknowledge(ack.incidentKey(), ack.by(), clock.instant())) {
                    LOG.info("Acknowledgement for {} by {} ignored: no open incident has that key", ack.incidentKey(),
                            ack.by());
                }
                return;
            }
            if (command instanceof End end) {
                escalations.end(end.incidentKey());
                return;
            }
            if (command instanceof FromEngine fromEngine) {
                AlertNotification n = fromEngine.notification();
                GroupClaim claim = fromEngine.claim();
                if (n == null) {
                    // All resolved and nobody wants to hear it: logged as told, and the incident ends.
                    String incident = claim.receiver() + "/" + claim.groupKey();
                    boolean escalated = escalations.handles(claim.receiver());
                    dispatcher.claim(claim, new ClaimWork(List.of(), null, escalated ? incident : null));
                    if (escalated) {
                        escalations.end(incident);
                    }
                    return;
                }
                if (escalations.handles(n.receiver())) {
                    escalations.onClaimed(n, fromEngine.claim(), clock.instant());
                } else {
                    List<ClaimWork.Delivery> deliveries = new ArrayList<>();
                    for (String channel : channelsOf(n.receiver())) {
                        deliveries.add(new ClaimWork.Delivery(channel, n.idempotencyKey(), n));
                    }
                    dispatcher.claim(fromEngine.claim(), new ClaimWork(deliveries, null, null));
                }
                return;
            }
            AlertNotification n = (AlertNotification) command;
            if (escalations.handles(n.receiver())) {
                escalations.onNotification(n, clock.instant());
                return;
            }
            List<String> channels = routes.get(n.receiver());
            if (channels == null) {
                errors.record(new IllegalArgumentException("no route for receiver '" + n.receiver() + "'"));
                return;
            }
            for (String channel : channels) {
                dispatcher.enqueue(n, channel);
            }
        } catch (RuntimeException e) {
            errors.record(e);
        }
    }

    private List<String> channelsOf(String receiver) {
        List<String> direct = routes.get(receiver);
        return direct != null ? direct : List.of();
    }

    /** Open incidents' escalation states (tests, the HTTP API). */
    List<EscalationState> openIncidents() {
        synchronized (control) {
            return escalations.open();
        }
    }

    DeliveryStore store() {
        return store;
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    /**
     * Stops: handles what is already queued, stops the channel workers (undelivered notifications stay pending
     * in the store for the next start) and closes the store.
     */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        if (controlThread != null) {
            controlThread.interrupt();
            try {
                controlThread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (control) {
            Object command;
            while ((command = intake.poll()) != null) {
                handle(command);
            }
        }
        dispatcher.close(Duration.ofSeconds(5));
        store.close();
    }

    /**
     * Stops as a killed process would (tests): threads stopped, nothing handed over, leases left to expire.
     */
    void halt() {
        running = false;
        if (controlThread != null) {
            controlThread.interrupt();
        }
        dispatcher.close(Duration.ofMillis(1));
    }

    /** Builds an {@link AlertManager}; every option has a production default. */
    public static final class Builder {
        private final MeterRegistry registry;
        private final Map<String, NotificationChannel> channels = new LinkedHashMap<>();
        private final Map<String, List<String>> routes = new LinkedHashMap<>();
        private final Map<String, EscalationPolicy> policies = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private Duration tickInterval = Duration.ofSeconds(1);
        private Path stateDirectory = Path.of("vigil-state");
        private DataSource dataSource;
        private int queueCapacity = 10_000;
        private int laneCapacity = 1_000;
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofMinutes(1);
        private int breakerWindow = 10;
        private Duration breakerOpenFor = Duration.ofSeconds(30);
        private Duration maxDeliveryAge = Duration.ofHours(24);
        private Duration logRetention = Duration.ofDays(7);
        private int maxLogEntries = 100_000;
        private int compactEvery = 1_000;
        private Consumer<PendingDelivery> onDelivered = d -> { };
        private String configSource;
        private String configYaml;
        private DependencyGraph dependencies = DependencyGraph.none();
        private final Map<String, String> signingKeys = new LinkedHashMap<>();
        private CorrelationEngine correlation;
        private String nodeId;
        private Duration lease = Duration.ofSeconds(30);
        private io.vigil.core.alert.Route configRoute;

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** Adds a channel; names must be unique. */
        public Builder channel(NotificationChannel channel) {
            Objects.requireNonNull(channel, "channel");
            String name = AlertNotification.requireText(channel.name(), "channel name");
            Duration timeout = channel.timeout();
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("channel '" + name + "' needs a positive timeout, not " + timeout);
            }
            if (channels.putIfAbsent(name, channel) != null) {
                throw new IllegalArgumentException("two channels are named '" + name + "'");
            }
            return this;
        }

        /**
         * Routes, receivers and inhibition rules from an Alertmanager configuration file (the subset Vigil runs:
         * see the module README; anything else is rejected naming the key). Each integration becomes a channel
         * named {@code receiver/kind/index} (e.g. {@code oncall/pagerduty/0}), which {@link #escalate} may name.
         * Alerts then go in through {@link AlertManager#receive} and are correlated before delivery.
         *
         * @throws IllegalArgumentException when the file cannot be read
         */
        public Builder alertmanagerConfig(Path file) {
            Objects.requireNonNull(file, "file");
            try {
                return alertmanagerConfig(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        /** {@link #alertmanagerConfig(Path)} from text; {@code source} names it in messages. */
        Builder alertmanagerConfig(String source, String yaml) {
            this.configSource = Objects.requireNonNull(source, "source");
            this.configYaml = Objects.requireNonNull(yaml, "yaml");
            return this;
        }

        /** Vigil's root-cause graph for the correlation engine (default none). */
        public Builder dependencies(DependencyGraph graph) {
            this.dependencies = Objects.requireNonNull(graph, "graph");
            return this;
        }

        /** Signs the webhooks of {@code receiver} (from the Alertmanager configuration) with HMAC-SHA256. */
        public Builder signingKey(String receiver, String key) {
            AlertNotification.requireText(receiver, "receiver");
            signingKeys.put(receiver, Secret.of(key, "signing key").reveal());
            return this;
        }

        /** Sends every notification for {@code receiver} to these channels, at once. */
        public Builder route(String receiver, String... channelNames) {
            AlertNotification.requireText(receiver, "receiver");
            if (channelNames.length == 0) {
                throw new IllegalArgumentException("receiver '" + receiver + "' routes to no channel");
            }
            routes.put(receiver, List.of(channelNames));
            return this;
        }

        /** Notifies {@code receiver}'s incidents through an escalation policy instead of a plain route. */
        public Builder escalate(String receiver, EscalationPolicy policy) {
            AlertNotification.requireText(receiver, "receiver");
            policies.put(receiver, Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** The clock escalation runs on; default the system UTC clock. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** How often the control thread advances escalation; default 1 s. Zero: no thread, call {@link #tick()}. */
        public Builder tickInterval(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("tick interval must be zero or positive");
            }
            this.tickInterval = value;
            return this;
        }

        /** Keeps state in files under {@code dir} (the default store; default directory {@code ./vigil-state}). */
        public Builder stateDirectory(Path dir) {
            this.stateDirectory = Objects.requireNonNull(dir, "dir");
            this.dataSource = null;
            return this;
        }

        /** Keeps state in a database instead (PostgreSQL, H2); tables {@code vigil_*} are created when missing. */
        public Builder jdbcStore(DataSource value) {
            this.dataSource = Objects.requireNonNull(value, "dataSource");
            return this;
        }

        /**
         * Makes this manager one node of several sharing the {@link #jdbcStore} database (two or more processes
         * receiving the same alerts, as Prometheus sends to every Alertmanager of a cluster): each notification
         * is delivered by one node, silences and acknowledgements made on one apply on all within a tick, and
         * the deliveries and escalations of a node that dies are taken over by another after its {@link #lease}.
         * {@code nodeId} must be unique among the nodes and stable across a node's restarts (e.g. the host name).
         */
        public Builder cluster(String nodeId) {
            this.nodeId = AlertNotification.requireText(nodeId, "node id");
            if (nodeId.length() > 200 || nodeId.equals(JdbcDeliveryStore.LOCAL)) {
                throw new IllegalArgumentException("node id must be at most 200 characters and not '"
                        + JdbcDeliveryStore.LOCAL + "'");
            }
            return this;
        }

        /**
         * How long a node holds a pending delivery without renewing it (it renews every tick) before another node
         * takes it over; the failover time after a node dies. Default 30 s; it must exceed the longest channel
         * timeout plus two ticks, so that a live node never loses a delivery in the middle of an attempt.
         */
        public Builder lease(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("lease must be positive");
            }
            this.lease = value;
            return this;
        }

        /** Notifications waiting for the control thread; default 10 000. Beyond it submit drops and counts. */
        public Builder queueCapacity(int value) {
            this.queueCapacity = positive(value, "queue capacity");
            return this;
        }

        /** Deliveries waiting per channel; default 1 000. Beyond it new ones are dropped and counted. */
        public Builder laneCapacity(int value) {
            this.laneCapacity = positive(value, "lane capacity");
            return this;
        }

        /**
         * Attempts per retry round (default 5) with exponential backoff and ±50 % jitter from {@code initial}
         * (default 1 s) doubling up to {@code max} (default 1 min); rounds repeat after {@code max} until the
         * delivery succeeds, is rejected or reaches {@link #maxDeliveryAge}.
         */
        public Builder retry(int attempts, Duration initial, Duration max) {
            this.maxAttempts = positive(attempts, "attempts");
            if (initial == null || max == null || initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff must be positive with max >= initial");
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** Per-channel circuit breaker: opens at 50 % failures over {@code window} calls, for {@code openFor}. */
        public Builder circuitBreaker(int window, Duration openFor) {
            this.breakerWindow = positive(window, "breaker window");
            if (openFor == null || openFor.isNegative() || openFor.isZero()) {
                throw new IllegalArgumentException("breaker open duration must be positive");
            }
            this.breakerOpenFor = openFor;
            return this;
        }

        /** A delivery still failing after this long is given up (outcome {@code expired}); default 24 h. */
        public Builder maxDeliveryAge(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("max delivery age must be positive");
            }
            this.maxDeliveryAge = value;
            return this;
        }

        /** How long, and how many, notification-log entries are kept for deduplication; default 7 days, 100 000. */
        public Builder logRetention(Duration value, int maxEntries) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("log retention must be positive");
            }
            this.logRetention = value;
            this.maxLogEntries = positive(maxEntries, "max log entries");
            return this;
        }

        /** File store: journal records between snapshots; default 1 000. */
        Builder compactEvery(int value) {
            this.compactEvery = positive(value, "compactEvery");
            return this;
        }

        /** Called on a channel's worker after a delivery was confirmed and logged (tests, crash harness). */
        Builder onDelivered(Consumer<PendingDelivery> hook) {
            this.onDelivered = Objects.requireNonNull(hook);
            return this;
        }

        private static int positive(int value, String what) {
            if (value <= 0) {
                throw new IllegalArgumentException(what + " must be positive: " + value);
            }
            return value;
        }

        /** Validates the configuration, opens the store, queues what it left pending and starts. */
        public AlertManager build() {
            applyConfig();
            if (nodeId != null) {
                if (dataSource == null) {
                    throw new IllegalArgumentException("cluster(" + nodeId + ") needs a jdbcStore shared by the nodes");
                }
                Duration longest = Duration.ZERO;
                for (NotificationChannel channel : channels.values()) {
                    longest = channel.timeout().compareTo(longest) > 0 ? channel.timeout() : longest;
                }
                Duration needed = longest.plus(tickInterval.multipliedBy(2));
                if (lease.compareTo(needed) <= 0) {
                    throw new IllegalArgumentException("lease " + lease + " must exceed the longest channel timeout"
                            + " plus two ticks (" + needed + "): a live node would lose deliveries mid-attempt");
                }
            }
            Set<String> receivers = new LinkedHashSet<>(routes.keySet());
            for (Map.Entry<String, List<String>> route : routes.entrySet()) {
                for (String channel : route.getValue()) {
                    if (!channels.containsKey(channel)) {
                        throw new IllegalArgumentException("receiver '" + route.getKey() + "' routes to unknown channel '"
                                + channel + "'; channels: " + channels.keySet());
                    }
                }
            }
            for (Map.Entry<String, EscalationPolicy> p : policies.entrySet()) {
                if (!receivers.add(p.getKey())) {
                    throw new IllegalArgumentException("receiver '" + p.getKey()
                            + "' has both a route and an escalation policy");
                }
                for (EscalationPolicy.Level level : p.getValue().levels()) {
                    for (String channel : level.channels()) {
                        if (!channels.containsKey(channel)) {
                            throw new IllegalArgumentException("escalation of '" + p.getKey()
                                    + "' names unknown channel '" + channel + "'; channels: " + channels.keySet());
                        }
                    }
                }
                if (p.getValue().levels().size() == 1 && p.getValue().repeatInterval() == null) {
                    LOG.debug("escalation of {} has one level and no repeat: it is a plain route", p.getKey());
                }
            }
            return new AlertManager(this);
        }

        private void applyConfig() {
            if (configYaml == null) {
                if (!signingKeys.isEmpty()) {
                    throw new IllegalArgumentException("signing keys are for receivers of an alertmanagerConfig");
                }
                correlation = null;
                configRoute = null;
                return;
            }
            AlertmanagerYaml.Config config = AlertmanagerYaml.parse(configSource, configYaml, signingKeys);
            Map<String, NotificationChannel> before = new LinkedHashMap<>(channels);
            Map<String, List<String>> routesBefore = new LinkedHashMap<>(routes);
            try {
                for (NotificationChannel channel : config.channels()) {
                    channel(channel);
                }
                for (Map.Entry<String, List<String>> receiver : config.receivers().entrySet()) {
                    if (routes.containsKey(receiver.getKey())) {
                        throw new IllegalArgumentException("receiver '" + receiver.getKey() + "' is defined both in "
                                + configSource + " and by route(...)");
                    }
                    if (!policies.containsKey(receiver.getKey())) {
                        routes.put(receiver.getKey(), receiver.getValue());
                    }
                }
                CorrelationEngine.Builder engine = CorrelationEngine.builder(config.route())
                        .inhibitRules(config.inhibitRules()).dependencies(dependencies)
                        .resolveTimeout(config.resolveTimeout());
                config.sendResolved().forEach(engine::sendResolved);
                correlation = engine.build();
                configRoute = config.route();
            } catch (IllegalArgumentException e) {
                // build() may be retried after a fix: leave the builder as it was.
                channels.clear();
                channels.putAll(before);
                routes.clear();
                routes.putAll(routesBefore);
                throw e;
            }
        }
    }
}
