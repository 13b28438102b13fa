package io.vigil.core.alert;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks fingerprints, group keys, matcher parsing and silence matching against a real Alertmanager started here
 * on a loopback port (Debian's {@code prometheus-alertmanager}, single node) and its {@code amtool}. Skipped when
 * they are not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertmanagerLiveTest {

    private static final String INSTALL = "needs Alertmanager: apt-get install prometheus-alertmanager"
            + " (provides prometheus-alertmanager and amtool)";

    private static final String CONFIG = """
            route:
              receiver: hook
              group_by: [alertname]
              group_wait: 1s
              group_interval: 1m
              routes:
                - matchers: ['alertname=~"Quoted|Unicode|TabCtl|DatabaseDown"']
                  group_by: ['...']
                  group_wait: 1s
            receivers:
              - name: hook
                webhook_configs:
                  - url: http://127.0.0.1:%d/
            """;

    /** The same tree in Vigil. */
    private static final Route ROUTE = Route.builder().receiver("hook").groupBy("alertname").groupWait(Duration.ofSeconds(1))
            .groupInterval(Duration.ofMinutes(1))
            .route(Route.builder().matchers("alertname=~\"Quoted|Unicode|TabCtl|DatabaseDown\"").groupBy("...")
                    .groupWait(Duration.ofSeconds(1)).build())
            .build();

    private static final List<Map<String, String>> ALERTS = List.of(
            labels("alertname", "HighLatency"),
            labels("alertname", "HighLatency", "service", "checkout", "severity", "page"),
            labels("alertname", "DatabaseDown", "service", "orders-db", "severity", "critical", "instance", "db-1:5432"),
            labels("alertname", "Quoted", "value", "She said: \"hi\"\\ back\nnew line"),
            labels("alertname", "Unicode", "city", "Zürich", "jp", "日本語", "emoji", "🔥"),
            labels("alertname", "TabCtl", "v", "tab\there\u0001ctl"),
            labels("alertname", "Empty", "empty", "", "job", "api"),
            labels("alertname", "vigil-live", "foo", "bar"),
            labels("alertname", "vigil-live", "foo", "bar,quux"),
            labels("alertname", "vigil-live", "tricky", "~~"),
            labels("alertname", "vigil-live", "baz", "xquux"),
            labels("alertname", "vigil-live", "statuscode", "503"),
            labels("alertname", "vigil-live", "statuscode", "5030"),
            labels("alertname", "vigil-live", "path", "a\\tb"));

    /** Single matchers as amtool takes them (each after {@code alertname=vigil-live}). */
    private static final List<String> MATCHERS = List.of(
            "foo=bar", "foo=\"bar,quux\"", "trickier==\\\\=\\=\\\"", "tricky=~~~", "baz!~\".*quux\"", "baz=~\"x.*\"",
            "statuscode=~\"5..\"", "quote=\"She said: \\\"Hi\\\"\"", "path=a\\tb", "foo = \"spaced\"  ", "foo!=\"\"",
            "newline=\"a\\nb\"", "unicode=~\"Zür.ch|日本\"");

    private static final List<String> BAD_MATCHERS = List.of(
            "job=\"value", "job=value\"", "invalid-name=x", "foo=~\"invalid[regexp\"", "contains_unescaped_quote = foo\"bar");

    private Process alertmanager;
    private HttpServer hook;
    private final BlockingQueue<String> webhooks = new LinkedBlockingQueue<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private String url;
    private Path dir;

    @BeforeAll
    void start() throws Exception {
        Path binary = onPath("prometheus-alertmanager");
        assumeTrue(binary != null && onPath("amtool") != null, INSTALL);
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                webhooks.add(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hook.start();
        dir = Files.createTempDirectory("vigil-am");
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, CONFIG.formatted(hook.getAddress().getPort()));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        url = "http://127.0.0.1:" + port;
        alertmanager = new ProcessBuilder(binary.toString(), "--config.file=" + config, "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
                .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !alertmanager.isAlive()) {
                throw new IllegalStateException("Alertmanager did not start: " + Files.readString(dir.resolve("alertmanager.log")));
            }
            Thread.sleep(100);
        }
        StringBuilder body = new StringBuilder("[");
        for (Map<String, String> alert : ALERTS) {
            body.append(body.length() > 1 ? "," : "").append("{\"labels\":{");
            boolean first = true;
            for (Map.Entry<String, String> label : alert.entrySet()) {
                body.append(first ? "" : ",").append(MiniJson.quote(label.getKey())).append(':').append(MiniJson.quote(label.getValue()));
                first = false;
            }
            body.append("}}");
        }
        body.append(']');
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v2/alerts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
    }

    @AfterAll
    void stop() throws Exception {
        if (alertmanager != null) {
            alertmanager.destroy();
            if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
                alertmanager.destroyForcibly();
            }
        }
        if (hook != null) {
            hook.stop(0);
        }
    }

    @Test
    void fingerprintsAreAlertmanagers() throws Exception {
        Map<String, String> theirs = new HashMap<>();
        for (Object o : getAlerts()) {
            Map<?, ?> alert = (Map<?, ?>) o;
            theirs.put(String.valueOf(alert.get("fingerprint")), alert.get("labels").toString());
        }
        Set<String> ours = new TreeSet<>();
        for (Map<String, String> labels : ALERTS) {
            ours.add(Alert.builder().labels(labels).startsAt(Instant.now()).build().fingerprint());
        }
        assertThat(theirs.keySet()).containsExactlyInAnyOrderElementsOf(ours);
    }

    @Test
    void groupKeysAreAlertmanagers() throws Exception {
        CorrelationEngine engine = CorrelationEngine.builder(ROUTE).build();
        Instant now = Instant.now();
        Map<String, String> ourKeyByFingerprint = new HashMap<>();
        for (Map<String, String> labels : ALERTS) {
            engine.receive(Alert.builder().labels(labels).startsAt(now).build(), now);
        }
        for (CorrelationEngine.Group group : engine.groups()) {
            group.alerts().forEach(a -> ourKeyByFingerprint.put(a.fingerprint(), group.groupKey()));
        }
        Set<String> ourKeys = new TreeSet<>(ourKeyByFingerprint.values());
        Map<String, String> theirKeyByFingerprint = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (new TreeSet<>(theirKeyByFingerprint.values()).size() < ourKeys.size() && System.nanoTime() < deadline) {
            String payload = webhooks.poll(1, TimeUnit.SECONDS);
            if (payload == null) {
                continue;
            }
            Map<?, ?> notification = (Map<?, ?>) MiniJson.parse(payload);
            for (Object alert : (List<?>) notification.get("alerts")) {
                theirKeyByFingerprint.put(String.valueOf(((Map<?, ?>) alert).get("fingerprint")),
                        String.valueOf(notification.get("groupKey")));
            }
        }
        assertThat(theirKeyByFingerprint).isEqualTo(ourKeyByFingerprint);
        assertThat(ourKeys).contains("{}:{alertname=\"HighLatency\"}",
                "{}/{alertname=~\"Quoted|Unicode|TabCtl|DatabaseDown\"}:{alertname=\"Quoted\", value=\"She said: \\\"hi\\\"\\\\ back\\nnew line\"}");
    }

    @Test
    void matchersParseAndMatchAsInAlertmanager() throws Exception {
        Map<String, Matcher> ourMatcherById = new LinkedHashMap<>();
        for (String input : MATCHERS) {
            Run run = amtool("silence", "add", "--author=vigil", "--comment=live test", "--duration=1h", "alertname=vigil-live", input);
            assertThat(run.exit).as(input + ": " + run.output).isZero();
            ourMatcherById.put(run.output.strip(), Matcher.parse(input));
        }
        Run query = amtool("silence", "query", "-o", "json");
        assertThat(query.exit).as(query.output).isZero();
        Map<String, Matcher> theirMatcherById = new HashMap<>();
        for (Object o : (List<?>) MiniJson.parse(query.output)) {
            Map<?, ?> silence = (Map<?, ?>) o;
            for (Object m : (List<?>) silence.get("matchers")) {
                Map<?, ?> matcher = (Map<?, ?>) m;
                if (!"alertname".equals(matcher.get("name"))) {
                    boolean regex = Boolean.TRUE.equals(matcher.get("isRegex"));
                    boolean equal = Boolean.TRUE.equals(matcher.get("isEqual"));
                    Matcher.Type type = regex ? (equal ? Matcher.Type.REGEX : Matcher.Type.NOT_REGEX)
                            : (equal ? Matcher.Type.EQUAL : Matcher.Type.NOT_EQUAL);
                    theirMatcherById.put(String.valueOf(silence.get("id")),
                            Matcher.of(type, String.valueOf(matcher.get("name")), String.valueOf(matcher.get("value"))));
                }
            }
        }
        assertThat(theirMatcherById).containsAllEntriesOf(ourMatcherById);

        for (String bad : BAD_MATCHERS) {
            Run run = amtool("silence", "add", "--author=vigil", "--duration=1h", "alertname=vigil-live", bad);
            String ours = null;
            try {
                Matcher.parse(bad);
            } catch (IllegalArgumentException e) {
                ours = e.getMessage();
            }
            assertThat(run.exit).as(bad).isNotZero();
            assertThat(ours).as(bad).isNotNull();
            assertThat(run.output).as(bad).contains(ours);
        }

        // Which alerts do these silences mute? Alertmanager's answer and ours, silence ids and all.
        CorrelationEngine engine = CorrelationEngine.builder(ROUTE).build();
        Instant now = Instant.now();
        ourMatcherById.forEach((id, matcher) -> engine.addSilence(Silence.builder().id(id).matchers("alertname=vigil-live")
                .matcher(matcher).startsAt(now.minusSeconds(60)).endsAt(now.plusSeconds(3600)).createdBy("vigil").build(), now));
        Map<String, Set<String>> ours = new HashMap<>();
        for (Map<String, String> labels : ALERTS) {
            engine.receive(Alert.builder().labels(labels).startsAt(now).build(), now);
        }
        for (CorrelationEngine.AlertStatus status : engine.alerts(now)) {
            ours.put(status.alert().fingerprint(), new TreeSet<>(status.silencedBy()));
        }
        Map<String, Set<String>> theirs = new HashMap<>();
        for (Object o : getAlerts()) {
            Map<?, ?> alert = (Map<?, ?>) o;
            Set<String> ids = new TreeSet<>();
            ((List<?>) ((Map<?, ?>) alert.get("status")).get("silencedBy")).forEach(id -> ids.add(String.valueOf(id)));
            theirs.put(String.valueOf(alert.get("fingerprint")), ids);
        }
        assertThat(ours).isEqualTo(theirs);
        assertThat(ours.values().stream().filter(ids -> !ids.isEmpty()).count()).as("some alerts are silenced").isGreaterThanOrEqualTo(5);
    }

    private List<?> getAlerts() throws Exception {
        // Alertmanager marks silenced alerts asynchronously; its API applies the silences when queried.
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v2/alerts")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        return (List<?>) MiniJson.parse(response.body());
    }

    private record Run(int exit, String output) {
    }

    private Run amtool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("amtool");
        command.add("--alertmanager.url=" + url);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), output);
    }

    private static Map<String, String> labels(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String entry : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(entry, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
