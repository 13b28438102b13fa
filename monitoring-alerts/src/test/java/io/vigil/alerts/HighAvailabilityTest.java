package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.alerts.testkit.RealTools;
import io.vigil.core.alert.CorrelationEngine;
import io.vigil.core.alert.Route;
import io.vigil.jdbc.testkit.SharedPostgres;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Vigil nodes — each an {@link AlertsServlet} on its own Jetty with its own {@link AlertManager} — on one real
 * PostgreSQL, fed the same alerts as Prometheus feeds an Alertmanager cluster, delivering to one real HTTP
 * receiver that counts what it accepted. Both nodes run on one hand-moved clock and are ticked by the test (also
 * from two threads at once); deliveries run on the managers' real channel threads.
 */
@ExtendWith(SharedPostgres.class)
class HighAvailabilityTest {

    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final String FAR = "2026-12-03T00:00:00Z";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final List<AutoCloseable> closing = new ArrayList<>();
    private RecordingReceiver receiver;

    @BeforeEach
    void emptyDatabase() throws Exception {
        DeliveryTables.dropAll();
        receiver = new RecordingReceiver(null);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        receiver.close();
    }

    /** One node: its own connection pool (counting statements), manager, servlet and HTTP server. */
    final class Node {
        final AtomicLong statements = new AtomicLong();
        final AlertManager manager;
        final AlertsServlet servlet;
        final ApiServer api;

        Node(String id, URI hook, boolean escalate) {
            this(id, hook, escalate, true);
        }

        Node(String id, URI hook, boolean escalate, boolean sendResolved) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(SharedPostgres.jdbcUrl());
            config.setMaximumPoolSize(4);
            HikariDataSource pool = new HikariDataSource(config);
            closing.add(pool);
            Route route = Route.builder().receiver(escalate ? "oncall" : "ops").groupBy("alertname")
                    .groupWait(Duration.ofSeconds(10)).groupInterval(Duration.ofMinutes(1))
                    .repeatInterval(Duration.ofHours(1)).build();
            AlertManager.Builder b = AlertManager.builder(new SimpleMeterRegistry())
                    .channel(NotificationChannel.webhook("hook", hook).timeout(Duration.ofSeconds(2)).build())
                    .channel(NotificationChannel.webhook("esc", receiver.escalationUrl())
                            .timeout(Duration.ofSeconds(2)).build())
                    .retry(3, Duration.ofMillis(50), Duration.ofMillis(200))
                    .jdbcStore(counting(pool, statements)).cluster(id).lease(LEASE)
                    .clock(clock).tickInterval(Duration.ZERO);
            if (escalate) {
                b.escalate("oncall", EscalationPolicy.builder().level(Duration.ZERO, "hook")
                        .level(Duration.ofMinutes(15), "esc").build());
            } else {
                b.route("ops", "hook");
            }
            manager = b.build();
            closing.add(manager);
            servlet = AlertsServlet.builder(CorrelationEngine.builder(route).defaultSendResolved(sendResolved).build())
                    .route(route)
                    .alertManager(manager).clock(clock).tickInterval(Duration.ZERO)
                    .registry(new SimpleMeterRegistry()).build();
            api = new ApiServer(servlet, "/am");
            closing.add(api);
        }

        /** What the node's threads do every tick: flush due groups, then claim, deliver, escalate. */
        void tick() {
            servlet.tick();
            manager.tick();
        }

        void post(String alertname, String instance) {
            post(alertname, instance, FAR);
        }

        void post(String alertname, String instance, String endsAt) {
            ApiServer.Reply reply = api.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"" + alertname
                    + "\",\"instance\":\"" + instance + "\"},\"endsAt\":\"" + endsAt + "\"}]");
            assertThat(reply.status()).isEqualTo(200);
        }
    }

    private static void both(Node a, Node b, java.util.function.Consumer<Node> action) {
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> action.accept(a));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> action.accept(b));
        first.join();
        second.join();
    }

    private Map<String, Long> hookDeliveriesByGroup() {
        return receiver.accepted().stream().collect(Collectors.groupingBy(RecordingReceiver.Accepted::groupKey, Collectors.counting()));
    }

    /** Waits for {@code expected} accepted deliveries, then a little longer so that a duplicate would show. */
    private void settle(int expected, Node... nodes) throws InterruptedException {
        RecordingReceiver.await(expected + " deliveries", 20_000, () -> receiver.accepted().size() >= expected);
        for (int i = 0; i < 3; i++) {
            Thread.sleep(150);
            for (Node n : nodes) {
                n.manager.tick();
            }
        }
        Thread.sleep(300);
    }

    @Test
    void twoNodesFedTheSameAlertsDeliverEachNotificationOnce() throws Exception {
        Node a = new Node("node-a", receiver.url(), false);
        Node b = new Node("node-b", receiver.url(), false);
        int groups = 40;
        // Prometheus posts every alert to both nodes; here both at once, group after group.
        both(a, b, n -> {
            for (int g = 0; g < groups; g++) {
                n.post("G" + g, "1");
            }
        });
        clock.advance(Duration.ofSeconds(10));
        long statementsBefore = a.statements.get() + b.statements.get();
        long started = System.nanoTime();
        both(a, b, Node::tick);
        RecordingReceiver.await("all groups", 20_000, () -> receiver.accepted().size() >= groups);
        long elapsedMicros = (System.nanoTime() - started) / 1000;
        long statements = a.statements.get() + b.statements.get() - statementsBefore;
        settle(groups, a, b);
        assertThat(receiver.accepted()).hasSize(groups);
        assertThat(hookDeliveriesByGroup()).hasSize(groups).allSatisfy((group, count) -> assertThat(count).isOne());

        // An idle tick (leases, take-over, silences, escalations): the cost of being a node.
        long idleBefore = a.statements.get();
        a.manager.tick();
        a.servlet.tick();
        long idleStatements = a.statements.get() - idleBefore;

        // A new alert joins 10 groups (on both nodes): news, told once more, by one node.
        both(a, b, n -> {
            for (int g = 0; g < 10; g++) {
                n.post("G" + g, "2");
            }
        });
        clock.advance(Duration.ofMinutes(1));
        both(a, b, Node::tick);
        settle(groups + 10, a, b);
        assertThat(receiver.accepted()).hasSize(groups + 10);
        Map<String, Long> byGroup = hookDeliveriesByGroup();
        for (int g = 0; g < groups; g++) {
            assertThat(byGroup.get("{}:{alertname=\"G" + g + "\"}")).as("G" + g).isEqualTo(g < 10 ? 2L : 1L);
        }
        JsonNode joined = receiver.accepted().stream().filter(x -> x.groupKey().equals("{}:{alertname=\"G3\"}"))
                .reduce((x, y) -> y).orElseThrow().body();
        assertThat(joined.path("alerts")).hasSize(2);

        // Nothing new for an hour: each group is repeated once (repeat_interval), not once per node.
        clock.advance(Duration.ofMinutes(61));
        both(a, b, Node::tick);
        settle(2 * groups + 10, a, b);
        assertThat(receiver.accepted()).hasSize(2 * groups + 10);

        System.out.printf("HA cost: %d notifications by 2 nodes on PostgreSQL (HikariCP): %.1f statements (commits"
                        + " included) and %.2f ms wall per notification (claim, deliver over HTTP, complete); idle tick: %d statements%n",
                groups, statements / (double) groups, elapsedMicros / 1000.0 / groups, idleStatements);
    }

    @Test
    void nodesThatSawDifferentAlertsStillTellEachThingOnce() throws Exception {
        Node a = new Node("node-a", receiver.url(), false);
        Node b = new Node("node-b", receiver.url(), false);
        both(a, b, n -> n.post("Split", "1"));
        b.post("Split", "2"); // A's copy of this POST is late
        clock.advance(Duration.ofSeconds(10));
        b.tick();
        settle(1, b);
        a.tick(); // A's view (instance 1 only) says nothing B has not told: no second page
        settle(1, a, b);
        assertThat(receiver.accepted()).singleElement().satisfies(x -> assertThat(x.body().path("alerts")).hasSize(2));
        a.post("Split", "2"); // the late POST: A's next notification has another key, but is no news either
        clock.advance(Duration.ofMinutes(1));
        a.tick();
        b.tick();
        settle(1, a, b);
        assertThat(receiver.accepted()).hasSize(1);
    }

    @Test
    void aResolveNobodyHearsIsStillLoggedSoThatTheNextFiringPages() throws Exception {
        Node a = new Node("node-a", receiver.url(), false, false);
        Node b = new Node("node-b", receiver.url(), false, false);
        both(a, b, n -> n.post("Flap", "1"));
        clock.advance(Duration.ofSeconds(10));
        both(a, b, Node::tick);
        settle(1, a, b);
        String resolvedAt = clock.instant().toString();
        both(a, b, n -> n.post("Flap", "1", resolvedAt)); // resolved: no send_resolved, nobody is told
        clock.advance(Duration.ofMinutes(1));
        both(a, b, Node::tick);
        both(a, b, n -> n.post("Flap", "1")); // fires again well within repeat_interval: news
        clock.advance(Duration.ofSeconds(10));
        both(a, b, Node::tick);
        settle(2, a, b);
        assertThat(receiver.accepted()).hasSize(2).allSatisfy(x -> assertThat(x.status()).isEqualTo("firing"));
    }

    @Test
    void aSilenceMadeOnOneNodeMutesTheOtherWithinATick() throws Exception {
        Node a = new Node("node-a", receiver.url(), false);
        Node b = new Node("node-b", receiver.url(), false);
        ApiServer.Reply created = a.api.post("/api/v2/silences", "{\"matchers\":[{\"name\":\"alertname\",\"value\":"
                + "\"Muted\",\"isRegex\":false}],\"startsAt\":\"2026-12-02T09:00:00Z\",\"endsAt\":\"" + FAR + "\","
                + "\"createdBy\":\"alice\",\"comment\":\"maintenance\"}");
        assertThat(created.status()).isEqualTo(200);
        String id = AlertsServletTest.json(created).path("silenceID").asText();
        b.tick();
        assertThat(AlertsServletTest.json(b.api.get("/api/v2/silence/" + id)).path("status").path("state").asText())
                .isEqualTo("active");

        // B alone flushes: without the shared silence it would page for Muted.
        pagesOnlyLoudWhileSilenced(b, a, id);

        // Expired on B: A pages for Muted at its next flush.
        assertThat(b.api.delete("/api/v2/silence/" + id).status()).isEqualTo(200);
        a.tick();
        clock.advance(Duration.ofMinutes(1));
        a.tick();
        b.tick();
        settle(2, a, b);
        assertThat(hookDeliveriesByGroup()).containsEntry("{}:{alertname=\"Muted\"}", 1L).hasSize(2);
    }

    /**
     * Fires Muted and Loud on both nodes; {@code first} flushes alone, then {@code second}: only Loud pages, and
     * {@code first} shows Muted silenced by {@code silenceId}.
     */
    private void pagesOnlyLoudWhileSilenced(Node first, Node second, String silenceId) throws Exception {
        fireOnBothAndFlush(first, second, "Muted", "Loud");
        assertThat(hookDeliveriesByGroup()).containsOnlyKeys("{}:{alertname=\"Loud\"}");
        JsonNode muted = AlertsServletTest.json(first.api.get("/api/v2/alerts?filter=alertname%3DMuted")).get(0);
        assertThat(muted.path("status").path("silencedBy").get(0).asText()).isEqualTo(silenceId);
    }

    /** Fires {@code alertnames} on both nodes, then {@code first} flushes alone and {@code second} after it. */
    private void fireOnBothAndFlush(Node first, Node second, String... alertnames) throws Exception {
        both(first, second, n -> {
            for (String alertname : alertnames) {
                n.post(alertname, "1");
            }
        });
        clock.advance(Duration.ofSeconds(10));
        first.tick();
        settle(1, first);
        second.tick();
        settle(1, first, second);
    }

    private static String silence(String id, String alertname, String startsAt, String endsAt, String comment) {
        return "{" + (id == null ? "" : "\"id\":\"" + id + "\",") + "\"matchers\":[{\"name\":\"alertname\","
                + "\"value\":\"" + alertname + "\",\"isRegex\":false}],\"startsAt\":\"" + startsAt + "\","
                + "\"endsAt\":\"" + endsAt + "\",\"createdBy\":\"alice\",\"comment\":\"" + comment + "\"}";
    }

    private static String postSilence(Node node, String body) {
        ApiServer.Reply reply = node.api.post("/api/v2/silences", body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return AlertsServletTest.json(reply).path("silenceID").asText();
    }

    /** A node's silences as its API shows them, by id, without {@code updatedAt} (each node's own bookkeeping). */
    private static Map<String, JsonNode> silencesOn(Node node) {
        Map<String, JsonNode> byId = new java.util.TreeMap<>();
        for (JsonNode s : AlertsServletTest.json(node.api.get("/api/v2/silences"))) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) s).remove("updatedAt");
            byId.put(s.path("id").asText(), s);
        }
        return byId;
    }

    @Test
    void aSilenceExtendedOnOneNodeKeepsMutingOnTheOtherAfterItsFirstEnd() throws Exception {
        Node a = new Node("node-a", receiver.url(), false);
        Node b = new Node("node-b", receiver.url(), false);
        String id = postSilence(a, silence(null, "Muted", "2026-12-02T10:00:00Z", "2026-12-02T10:30:00Z", "deploy"));
        b.tick();
        JsonNode onB = AlertsServletTest.json(b.api.get("/api/v2/silence/" + id));
        assertThat(Instant.parse(onB.path("endsAt").asText())).isEqualTo("2026-12-02T10:30:00Z");

        // Extended on B through the API, as amtool or Grafana does it: same id, matchers and start, a later end.
        clock.advance(Duration.ofMinutes(5));
        String extended = postSilence(b, silence(id, "Muted", onB.path("startsAt").asText(), "2026-12-02T12:00:00Z",
                "deploy, longer"));
        assertThat(extended).as("changed in place (Alertmanager's canUpdate)").isEqualTo(id);
        a.tick();

        // Past the first end: the alert fires on both nodes, A alone flushes, and must not page for Muted.
        clock.advance(Duration.ofMinutes(40));
        pagesOnlyLoudWhileSilenced(a, b, id);
        for (Node n : List.of(a, b)) {
            JsonNode s = AlertsServletTest.json(n.api.get("/api/v2/silence/" + id));
            assertThat(Instant.parse(s.path("endsAt").asText())).isEqualTo("2026-12-02T12:00:00Z");
            assertThat(s.path("status").path("state").asText()).isEqualTo("active");
            assertThat(s.path("comment").asText()).isEqualTo("deploy, longer");
        }
        assertThat(silencesOn(a)).isEqualTo(silencesOn(b)).containsOnlyKeys(id);
    }

    @Test
    void aSilenceWhoseMatchersChangeOnOneNodeIsExpiredAndReplacedOnBoth() throws Exception {
        Node a = new Node("node-a", receiver.url(), false);
        Node b = new Node("node-b", receiver.url(), false);
        String id = postSilence(a, silence(null, "Muted", "2026-12-02T10:00:00Z", FAR, "maintenance"));
        b.tick();
        clock.advance(Duration.ofMinutes(5));
        // Other matchers would rewrite history: Alertmanager expires the silence and creates a new one.
        String replacement = postSilence(b, silence(id, "Other", "2026-12-02T10:00:00Z", FAR, "maintenance"));
        assertThat(replacement).isNotEqualTo(id);
        clock.advance(Duration.ofMinutes(1)); // A learns of it a minute later: the expiry keeps B's time
        a.tick();
        b.tick();

        Map<String, JsonNode> onA = silencesOn(a);
        assertThat(onA).isEqualTo(silencesOn(b)).containsOnlyKeys(id, replacement);
        assertThat(onA.get(id).path("status").path("state").asText()).isEqualTo("expired");
        assertThat(Instant.parse(onA.get(id).path("endsAt").asText())).isEqualTo("2026-12-02T10:05:00Z");
        assertThat(onA.get(replacement).path("status").path("state").asText()).isEqualTo("active");
        assertThat(onA.get(replacement).path("matchers").get(0).path("value").asText()).isEqualTo("Other");

        // A pages for Muted again and keeps Other quiet.
        fireOnBothAndFlush(a, b, "Muted", "Other");
        assertThat(hookDeliveriesByGroup()).containsOnlyKeys("{}:{alertname=\"Muted\"}");
    }

    @Test
    void statusShowsTheClusterAsAlertmanagerDoesWithTheLiveNodesAsPeers(@TempDir Path dir) throws Exception {
        String host = hostName();
        Node a = new Node("node-a", receiver.url(), false);
        Node b = new Node("node-b", receiver.url(), false);
        // Before its first tick a node's lease as a live node is not in the database yet: settling.
        assertThat(AlertsServletTest.json(a.api.get("/api/v2/status")).path("cluster").toString())
                .isEqualTo("{\"name\":\"node-a\",\"peers\":[],\"status\":\"settling\"}");
        both(a, b, Node::tick);
        String peers = "[{\"address\":\"" + host + "\",\"name\":\"node-a\"},{\"address\":\"" + host
                + "\",\"name\":\"node-b\"}]";
        assertThat(AlertsServletTest.json(a.api.get("/api/v2/status")).path("cluster").toString())
                .isEqualTo("{\"name\":\"node-a\",\"peers\":" + peers + ",\"status\":\"ready\"}");
        assertThat(AlertsServletTest.json(b.api.get("/api/v2/status")).path("cluster").toString())
                .isEqualTo("{\"name\":\"node-b\",\"peers\":" + peers + ",\"status\":\"ready\"}");

        // A killed: a peer until its lease runs out, then gone; B ticking on keeps itself in.
        a.manager.halt();
        clock.advance(LEASE.minusSeconds(1));
        b.tick();
        assertThat(peerNames(b)).containsExactly("node-a", "node-b");
        clock.advance(Duration.ofSeconds(2));
        b.tick();
        assertThat(peerNames(b)).containsExactly("node-b");

        // C joins, then closes cleanly: gone at once.
        Node c = new Node("node-c", receiver.url(), false);
        c.tick();
        assertThat(peerNames(b)).containsExactly("node-b", "node-c");
        c.manager.close();
        assertThat(peerNames(b)).containsExactly("node-b");

        // A node without cluster(...): Alertmanager's single-instance answer.
        AlertManager single = AlertManager.builder(new SimpleMeterRegistry())
                .channel(NotificationChannel.webhook("hook", receiver.url()).build()).route("ops", "hook")
                .stateDirectory(dir).clock(clock).tickInterval(Duration.ZERO).build();
        closing.add(single);
        AlertsServlet singleApi = AlertsServlet.builder(CorrelationEngine.builder(Route.builder().receiver("ops").build())
                .build()).alertManager(single).clock(clock).tickInterval(Duration.ZERO)
                .registry(new SimpleMeterRegistry()).build();
        ApiServer server = new ApiServer(singleApi, "/am");
        closing.add(server);
        single.tick();
        assertThat(AlertsServletTest.json(server.get("/api/v2/status")).path("cluster").toString())
                .isEqualTo("{\"peers\":[],\"status\":\"disabled\"}");
    }

    @Test
    void amtoolClusterShowListsTheLiveNodes() {
        String amtool = RealTools.require("amtool");
        Node a = new Node("node-a", receiver.url(), false);
        Node b = new Node("node-b", receiver.url(), false);
        both(a, b, Node::tick);
        RealTools.Result shown = RealTools.run(amtool, "--alertmanager.url=" + b.api.url(), "cluster", "show",
                "-o", "extended");
        assertThat(shown.exit()).as(shown.out()).isZero();
        String peer = "(?m)^\\s*" + java.util.regex.Pattern.quote(hostName()) + "\\s+";
        assertThat(shown.out()).as(shown.out()).containsPattern("Cluster Status:\\s+ready")
                .containsPattern("Node Name:\\s+node-b").containsPattern(peer + "node-a\\s*$")
                .containsPattern(peer + "node-b\\s*$");
    }

    private static List<String> peerNames(Node node) {
        JsonNode cluster = AlertsServletTest.json(node.api.get("/api/v2/status")).path("cluster");
        assertThat(cluster.path("status").asText()).isEqualTo("ready");
        List<String> names = new ArrayList<>();
        cluster.path("peers").forEach(p -> names.add(p.path("name").asText()));
        return names;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void anAcknowledgementOnOneNodeStopsTheEscalationOnTheOther() throws Exception {
        Node a = new Node("node-a", receiver.url(), true);
        Node b = new Node("node-b", receiver.url(), true);
        both(a, b, n -> {
            n.post("Acked", "1");
            n.post("Ignored", "1");
        });
        clock.advance(Duration.ofSeconds(10));
        both(a, b, Node::tick);
        settle(2, a, b);
        assertThat(hookDeliveriesByGroup()).hasSize(2).allSatisfy((group, count) -> assertThat(count).isOne());

        JsonNode incidents = AlertsServletTest.json(a.api.get("/api/vigil/incidents"));
        String acked = null;
        for (JsonNode incident : incidents) {
            if (incident.path("root").path("labels").path("alertname").asText().equals("Acked")) {
                acked = incident.path("id").asText();
            }
        }
        assertThat(acked).isNotNull();
        assertThat(a.api.post("/api/vigil/incidents/" + acked.replace("@", "%40") + "/ack", "{\"by\":\"alice\"}")
                .status()).isEqualTo(200);
        a.manager.tick();

        // Level 1 is due; B ticks first (and alone once): it escalates Ignored only.
        clock.advance(Duration.ofMinutes(15));
        b.tick();
        a.tick();
        settle(3, a, b);
        List<String> escalated = receiver.accepted().stream().filter(x -> x.body().path("receiver").asText()
                .equals("oncall") && x.key().endsWith("#L1")).map(RecordingReceiver.Accepted::groupKey).toList();
        assertThat(escalated).containsExactly("{}:{alertname=\"Ignored\"}");
        assertThat(receiver.accepted()).hasSize(3);
    }

    @Test
    void whenTheNodeHoldingAClaimIsKilledTheOtherPagesWithinTheLease() throws Exception {
        try (MockWebServer blackHole = new MockWebServer()) {
            // A cannot get an answer from the receiver: its delivery hangs, holding the claim, until A is killed.
            blackHole.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
            blackHole.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
            blackHole.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
            blackHole.start();
            Node a = new Node("node-a", blackHole.url("/hook").uri(), true);
            Node b = new Node("node-b", receiver.url(), true);
            both(a, b, n -> n.post("Down", "1"));
            clock.advance(Duration.ofSeconds(10));
            a.tick(); // A claims the group first
            b.tick();
            RecordingReceiver.await("A's attempt", 10_000, () -> blackHole.getRequestCount() >= 1);
            a.manager.halt();

            // Within the lease B leaves A's delivery alone ...
            clock.advance(LEASE.minusSeconds(1));
            b.tick();
            Thread.sleep(300);
            assertThat(receiver.accepted()).isEmpty();
            // ... then takes it over and pages, once; and escalates A's incident when level 1 is due.
            clock.advance(Duration.ofSeconds(2));
            b.tick();
            settle(1, b);
            assertThat(receiver.accepted()).extracting(RecordingReceiver.Accepted::key)
                    .singleElement().asString().endsWith("#L0");
            clock.advance(Duration.ofMinutes(15));
            b.tick();
            settle(2, b);
            assertThat(receiver.accepted()).extracting(RecordingReceiver.Accepted::key).hasSize(2)
                    .last().asString().endsWith("#L1");
        }
    }

    @Test
    void aNodeClosedCleanlyHandsItsDeliveriesOverAtOnce() throws Exception {
        try (MockWebServer blackHole = new MockWebServer()) {
            for (int i = 0; i < 10; i++) {
                blackHole.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
            }
            blackHole.start();
            Node a = new Node("node-a", blackHole.url("/hook").uri(), false);
            Node b = new Node("node-b", receiver.url(), false);
            both(a, b, n -> n.post("Down", "1"));
            clock.advance(Duration.ofSeconds(10));
            a.tick();
            b.tick();
            RecordingReceiver.await("A's attempt", 10_000, () -> blackHole.getRequestCount() >= 1);
            a.manager.close();
            b.tick(); // no clock move: A released its lease
            settle(1, b);
            assertThat(receiver.accepted()).hasSize(1);
        }
    }

    @Test
    void aDeliveryThatFailsIsRetriedByItsNodeAndDeliveredOnce() throws Exception {
        receiver.then("500", "503", "500", "500"); // a whole retry round fails, then the next round's second try
        Node a = new Node("node-a", receiver.url(), false);
        Node b = new Node("node-b", receiver.url(), false);
        both(a, b, n -> n.post("Flaky", "1"));
        clock.advance(Duration.ofSeconds(10));
        both(a, b, Node::tick);
        for (int i = 0; i < 12; i++) {
            clock.advance(LEASE.dividedBy(4)); // three leases in total: A renews, so B must not take over
            a.manager.tick();
            b.manager.tick();
            Thread.sleep(60);
        }
        settle(1, a, b);
        assertThat(receiver.accepted()).hasSize(1);
        assertThat(receiver.requests()).isEqualTo(5);
    }

    /** The README's "Two nodes, one database" snippet, as each node runs it. */
    static AlertManager readmeNode(MeterRegistry registry, DataSource dataSource, String nodeId, URI hookUrl,
            List<AlertsServlet> servlets) {
        // HA-SNIPPET-START
        // The same on every node but the node id. Prometheus sends its alerts to every node.
        Route route = Route.builder().receiver("ops").groupBy("alertname").groupWait(Duration.ofSeconds(1)).build();
        AlertManager manager = AlertManager.builder(registry)
                .channel(NotificationChannel.webhook("hook", hookUrl).build())
                .route("ops", "hook")
                .jdbcStore(dataSource)              // one PostgreSQL for all nodes
                .cluster(nodeId)                    // unique per node, stable across its restarts
                .lease(Duration.ofSeconds(30))      // failover time when a node dies (the default)
                .build();
        AlertsServlet api = AlertsServlet.builder(CorrelationEngine.builder(route).build())
                .route(route).alertManager(manager).build();
        // context.addServlet(new ServletHolder(api), "/alertmanager/*");
        // HA-SNIPPET-END
        servlets.add(api);
        return manager;
    }

    @Test
    void theReadmeSnippetRunsAsTwoNodesOnTheSystemClock() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(SharedPostgres.jdbcUrl());
        config.setMaximumPoolSize(4);
        HikariDataSource pool = new HikariDataSource(config);
        closing.add(pool);
        List<AlertsServlet> servlets = new ArrayList<>();
        for (String id : List.of("vigil-1", "vigil-2")) {
            AlertManager manager = readmeNode(new SimpleMeterRegistry(), pool, id, receiver.url(), servlets);
            closing.add(manager);
            AlertsServlet servlet = servlets.get(servlets.size() - 1);
            ApiServer api = new ApiServer(servlet, "/alertmanager");
            closing.add(api);
            closing.add(servlet::destroy);
            assertThat(api.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Down\"}}]").status())
                    .isEqualTo(200);
        }
        RecordingReceiver.await("one page", 20_000, () -> receiver.accepted().size() == 1);
        Thread.sleep(2_500); // both nodes' ticks have flushed the group by now
        assertThat(receiver.accepted()).hasSize(1);
    }

    /** Counts every statement the store executes through {@code dataSource}. */
    static DataSource counting(DataSource dataSource, AtomicLong statements) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, dataSource, args);
                    return result instanceof Connection c ? wrap(c, Connection.class, statements,
                            r -> r instanceof Statement s ? wrap(s, statementType(s), statements, x -> x) : r) : result;
                });
    }

    private static Class<?> statementType(Statement s) {
        return s instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : Statement.class;
    }

    private static Object wrap(Object target, Class<?> type, AtomicLong statements, Function<Object, Object> inner) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().startsWith("execute") || method.getName().equals("commit")) {
                statements.incrementAndGet();
            }
            return inner.apply(invoke(method, target, args));
        });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
