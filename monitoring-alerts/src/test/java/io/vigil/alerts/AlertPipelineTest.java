package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.core.alert.Alert;
import io.vigil.core.alert.DependencyGraph;
import io.vigil.core.catalog.CommonTags;
import io.vigil.servlet.MonitoringFilter;
import jakarta.servlet.http.HttpServletResponse;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole in-process pipeline on a fake clock: real meters (the real {@code MonitoringFilter}) → the rule pack in
 * {@link AlertEngine} → correlation configured from an alertmanager.yml (that amtool accepts) → {@link AlertManager}
 * → a webhook to a real HTTP receiver, which gets the firing notification once and the resolved one once; and a
 * database outage whose dependent service's alert joins it, so one notification names the root.
 */
class AlertPipelineTest {

    private static final Duration TICK = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private final MockClock meterClock = new MockClock();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
            new PrometheusRegistry(), meterClock);
    private final MockWebServer receiver = new MockWebServer();
    private Path config;
    private AlertManager manager;
    private AlertEngine engine;
    private MonitoringFilter filter;

    @BeforeEach
    void setUp() throws Exception {
        CommonTags.builder().service("checkout").instance("api-1").build().applyTo(registry);
        receiver.start();
        for (int i = 0; i < 10; i++) {
            receiver.enqueue(new MockResponse().setResponseCode(200));
        }
        config = dir.resolve("alertmanager.yml");
        Files.writeString(config, AlertmanagerYamlTest.resource("pipeline.yml")
                .replace("${WEBHOOK}", receiver.url("/hook").toString()));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (engine != null) {
            engine.close(); // closes the manager too
        } else if (manager != null) {
            manager.close();
        }
        receiver.shutdown();
    }

    private AlertManager.Builder manager(MeterRegistry meters) {
        return AlertManager.builder(meters).alertmanagerConfig(config).clock(clock).tickInterval(Duration.ZERO)
                .stateDirectory(dir.resolve("state"));
    }

    private void runFor(Duration duration, Runnable perTick) {
        for (long t = 0; t < duration.toMillis(); t += TICK.toMillis()) {
            perTick.run();
            clock.advance(TICK);
            meterClock.add(TICK);
            engine.evaluate();
            manager.tick();
        }
    }

    private void http(int status, int times) {
        for (int i = 0; i < times; i++) {
            try {
                filter.doFilter(StandInHttp.request("GET", "/orders"), StandInHttp.response(), (req, res) -> {
                    meterClock.add(Duration.ofMillis(5));
                    ((HttpServletResponse) res).setStatus(status);
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private JsonNode nextPayload() throws Exception {
        RecordedRequest request = receiver.takeRequest(30, TimeUnit.SECONDS);
        assertThat(request).as("a webhook request").isNotNull();
        assertThat(request.getHeader("Idempotency-Key")).matches("[0-9a-f]{32}");
        return JSON.readTree(request.getBody().readString(StandardCharsets.UTF_8));
    }

    @Test
    void amtoolAcceptsThePipelineConfig() throws Exception {
        Amtool.Result result = Amtool.checkConfig(config);
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void fiveHundredsFromRealRequestsArriveAtTheWebhookOnceFiringAndOnceResolved() throws Exception {
        manager = manager(registry).build();
        engine = AlertEngine.builder(registry).rules(RuleFiles.pack())
                .externalUrl("http://prometheus.example:9090/").clock(clock).alertManager(manager).build();
        filter = MonitoringFilter.builder(registry).build();

        // 10 % of the requests fail: the ratio's 5 min window fills, then `for: 5m` passes, then group_wait (30 s).
        runFor(Duration.ofMinutes(11), () -> {
            http(200, 9);
            http(500, 1);
        });
        JsonNode firing = nextPayload();
        assertThat(firing.path("version").asText()).isEqualTo("4");
        assertThat(firing.path("status").asText()).isEqualTo("firing");
        assertThat(firing.path("receiver").asText()).isEqualTo("ops");
        assertThat(firing.path("groupLabels").path("alertname").asText()).isEqualTo("VigilHttpHighErrorRatio");
        assertThat(firing.path("groupLabels").path("service").asText()).isEqualTo("checkout");
        JsonNode alert = firing.path("alerts").get(0);
        assertThat(firing.path("alerts")).hasSize(1);
        assertThat(alert.path("labels").path("severity").asText()).isEqualTo("critical");
        assertThat(alert.path("annotations").path("summary").asText())
                .isEqualTo("checkout: 10% of HTTP requests fail with 5xx");
        assertThat(alert.path("generatorURL").asText()).isEqualTo("http://prometheus.example:9090/graph?g0.expr="
                + "service%3Ahttp_server_requests_errors%3Aratio_rate5m+%3E+0.05&g0.tab=1");
        assertThat(alert.path("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
        // What correlation holds: Prometheus' ValidUntil, 4 × max(15 s, 1 min) after the last evaluation.
        assertThat(manager.correlation().alerts(clock.instant())).singleElement()
                .satisfies(s -> assertThat(s.alert().endsAt()).contains(clock.instant().plus(Duration.ofMinutes(4))))
                .satisfies(s -> assertThat(s.alert().startsAt().toString()).isEqualTo(alert.path("startsAt").asText()));

        // Healthy again: the alert resolves and, at the next group_interval flush, the resolve is delivered.
        runFor(Duration.ofMinutes(8), () -> http(200, 10));
        JsonNode resolved = nextPayload();
        assertThat(resolved.path("status").asText()).isEqualTo("resolved");
        assertThat(resolved.path("alerts").get(0).path("fingerprint").asText())
                .isEqualTo(alert.path("fingerprint").asText());

        // Nothing more: repeat_interval is 4 h and the group is gone.
        runFor(Duration.ofMinutes(10), () -> http(200, 10));
        assertThat(receiver.takeRequest(1, TimeUnit.SECONDS)).isNull();
        assertThat(receiver.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aDatabaseOutageAndItsDependentServiceYieldOneNotificationNamingTheRoot() throws Exception {
        manager = manager(registry)
                .dependencies(DependencyGraph.builder().dependsOn("orders", "orders-db").build())
                .build();
        Instant t0 = clock.instant();
        manager.receive(List.of(Alert.builder().label("alertname", "VigilDbDown").label("service", "orders-db")
                .label("severity", "critical").startsAt(t0).build()));
        clock.advance(Duration.ofSeconds(10));
        manager.tick();
        manager.receive(List.of(Alert.builder().label("alertname", "VigilHttpHighErrorRatio").label("service", "orders")
                .label("severity", "critical").startsAt(clock.instant()).build()));
        for (int i = 0; i < 20; i++) {
            clock.advance(TICK);
            manager.tick();
        }

        JsonNode page = nextPayload();
        assertThat(page.path("groupLabels").path("service").asText()).isEqualTo("orders-db");
        assertThat(page.path("incident").path("root").path("labels").path("alertname").asText())
                .isEqualTo("VigilDbDown");
        JsonNode symptoms = page.path("incident").path("symptoms");
        assertThat(symptoms).hasSize(1);
        assertThat(symptoms.get(0).path("labels").path("service").asText()).isEqualTo("orders");
        assertThat(receiver.takeRequest(1, TimeUnit.SECONDS)).as("the symptom pages on its own").isNull();
    }

    /** With the default control thread (no test driving it), the correlation engine is ticked and delivers. */
    @Test
    void theControlThreadTicksCorrelationAndCloseStopsIt() throws Exception {
        Files.writeString(config, Files.readString(config).replace("group_wait: 30s", "group_wait: 0s"));
        manager = AlertManager.builder(registry).alertmanagerConfig(config).tickInterval(Duration.ofMillis(50))
                .stateDirectory(dir.resolve("state")).build();
        assertThat(manager.receive(List.of(Alert.builder().label("alertname", "Down").label("service", "db")
                .startsAt(Instant.now()).build()))).isEqualTo(1);

        JsonNode page = nextPayload();
        assertThat(page.path("groupLabels").path("alertname").asText()).isEqualTo("Down");
        manager.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("vigil-alert-manager"));
        assertThat(manager.receive(List.of(Alert.firing(Instant.now(), "alertname", "Late")))).isZero();
    }

    /** Silences saved through the manager are in its correlation engine after a restart on the same state. */
    @Test
    void storedSilencesAreLoadedIntoCorrelationAtStart() {
        manager = manager(registry).build();
        io.vigil.core.alert.Silence silence = manager.correlation().addSilence(io.vigil.core.alert.Silence.builder()
                .matchers("alertname=\"Down\"").startsAt(clock.instant()).endsAt(clock.instant().plus(Duration.ofHours(1)))
                .createdBy("alice").comment("maintenance").build(), clock.instant());
        manager.saveSilence(silence);
        manager.close();

        manager = manager(registry).build();
        assertThat(manager.correlation().silences()).containsExactly(silence);
        manager.receive(List.of(Alert.firing(clock.instant(), "alertname", "Down", "service", "db")));
        assertThat(manager.correlation().alerts(clock.instant())).singleElement()
                .satisfies(s -> assertThat(s.silencedBy()).containsExactly(silence.id().orElseThrow()));
    }

    /** Without an alertmanager.yml there is no correlation engine: receive takes nothing and never throws. */
    @Test
    void receiveWithoutConfigurationTakesNothing() {
        manager = AlertManager.builder(registry).tickInterval(Duration.ZERO).stateDirectory(dir.resolve("state"))
                .build();
        assertThat(manager.receive(List.of(Alert.firing(Instant.now(), "alertname", "X")))).isZero();
        assertThat(manager.receive(null)).isZero();
    }

    /** The README's "Putting it together" snippet, compiled here; {@link ReadmeSnippetTest} checks they match. */
    @SuppressWarnings("unused")
    static void readmeSnippet(MeterRegistry registry) {
        // README-SNIPPET-START
        AlertManager alerts = AlertManager.builder(registry)
                .alertmanagerConfig(Path.of("alertmanager.yml"))         // route, receivers, inhibit_rules
                .dependencies(DependencyGraph.builder().dependsOn("checkout", "orders-db").build())
                .signingKey("ops", System.getenv("VIGIL_WEBHOOK_KEY"))   // Vigil's extras: from Java
                .stateDirectory(Path.of("/var/lib/myservice/vigil"))
                .build();
        AlertEngine engine = AlertEngine.builder(registry)
                .rules(RuleFiles.pack())
                .alertManager(alerts)                                     // rules → correlation → delivery
                .build().start();
        // on shutdown: engine.close() stops evaluation, correlation and delivery
        // README-SNIPPET-END
    }
}
