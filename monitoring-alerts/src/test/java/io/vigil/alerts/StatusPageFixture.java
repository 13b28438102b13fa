package io.vigil.alerts;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.core.alert.CorrelationEngine;
import io.vigil.core.alert.DependencyGraph;
import io.vigil.core.alert.Route;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;
import io.vigil.health.HealthRegistry;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.awaitility.Awaitility.await;

/**
 * The status page's test service: an {@link AlertsServlet} mounted at {@code /alerts} on a real Jetty, over a real
 * {@link AlertManager} with a two-level escalation policy and a real {@link HealthRegistry} (one check UP, one
 * DOWN), driven by hand on one clock. {@link #causeIncident} posts a root cause and a symptom (with a hostile label)
 * through the API and ticks until the incident is notified and escalating.
 */
final class StatusPageFixture implements AutoCloseable {

    /** A label value that would run script, close the attribute or the element if it were not escaped. */
    static final String HOSTILE = "\"><img id=pwned src=x onerror=\"document.title='pwned'\">"
            + "<script>document.title='pwned'</script>'&amp;";

    // Starts at the wall clock, so the page's alert times and the health checks' times agree in a screenshot.
    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    final Route route = Route.builder().receiver("oncall").groupBy("alertname").groupWait(Duration.ofSeconds(10))
            .build();
    final CorrelationEngine engine = CorrelationEngine.builder(route)
            .dependencies(DependencyGraph.builder().dependsOn("orders", "orders-db").build()).build();
    final HealthRegistry health;
    final AlertManager manager;
    final AlertsServlet servlet;
    final ApiServer api;

    StatusPageFixture(Path stateDirectory, String writeToken) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        health = HealthRegistry.builder(registry)
                .register("db", HealthResult::up)
                .register("cache", () -> {
                    throw new java.net.ConnectException("Connection refused");
                })
                .build().start();
        await().atMost(Duration.ofSeconds(20)).until(() -> health.check("cache").orElseThrow().status()
                == HealthStatus.DOWN && health.check("db").orElseThrow().status() == HealthStatus.UP);
        manager = AlertManager.builder(registry).channel(NotificationChannel.log("pager"))
                .channel(NotificationChannel.log("lead"))
                .escalate("oncall", EscalationPolicy.builder().level(Duration.ZERO, "pager")
                        .level(Duration.ofMinutes(15), "lead").build())
                .clock(clock).tickInterval(Duration.ZERO).stateDirectory(stateDirectory).build();
        AlertsServlet.Builder builder = AlertsServlet.builder(engine).route(route).alertManager(manager).clock(clock)
                .tickInterval(Duration.ZERO).registry(registry).health(health);
        if (writeToken != null) {
            builder.writeToken(writeToken);
        }
        servlet = builder.build();
        api = new ApiServer(servlet, "/alerts");
    }

    /** The database goes down, then orders' error rate fires: one incident, root orders-db, one symptom. */
    void causeIncident() {
        String hostile = HOSTILE.replace("\\", "\\\\").replace("\"", "\\\"");
        Instant start = clock.instant();
        String ends = ",\"endsAt\":\"" + start.plus(Duration.ofHours(2)) + "\"}]";
        post("[{\"labels\":{\"alertname\":\"PostgresDown\",\"service\":\"orders-db\",\"severity\":\"critical\"},"
                + "\"annotations\":{\"summary\":\"orders-db does not answer\"},\"startsAt\":\"" + start + "\"" + ends);
        clock.advance(Duration.ofSeconds(20));
        post("[{\"labels\":{\"alertname\":\"HighErrorRate\",\"service\":\"orders\",\"severity\":\"warning\","
                + "\"note\":\"" + hostile + "\"},\"annotations\":{\"summary\":\"5% of requests fail <b>now</b>\"},"
                + "\"startsAt\":\"" + clock.instant() + "\"" + ends);
        servlet.tick();
        manager.tick();
    }

    private void post(String json) {
        ApiServer.Reply reply = api.post("/api/v2/alerts", json);
        if (reply.status() != 200) {
            throw new AssertionError("POST alerts: " + reply);
        }
    }

    @Override
    public void close() {
        api.close();
        manager.close();
        health.close();
    }
}
