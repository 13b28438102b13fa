package io.vigil.core.alert;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The "Alert correlation" snippet of the root README, run as written, with what it claims. */
class ReadmeExampleTest {

    @Test
    void theReadmeSnippetWorksAsDescribed() {
        Instant now = Instant.parse("2026-12-02T04:00:00Z");
        CorrelationEngine engine = CorrelationEngine.builder(
                        Route.builder().receiver("ops").groupBy("alertname", "service")
                                .route(Route.builder().matchers("severity=\"page\"").receiver("pager").build())
                                .build())
                .inhibitRule(InhibitRule.builder().sourceMatchers("severity=\"critical\"")
                        .targetMatchers("severity=\"warning\"").equal("service").build())
                .dependencies(DependencyGraph.builder()
                        .dependsOn("checkout", "orders-db", "cache").dependsOn("orders", "orders-db")
                        .window(Duration.ofMinutes(5)).build())
                .build();

        engine.receive(Alert.firing(now, "alertname", "DatabaseDown", "service", "orders-db", "severity", "page"), now);
        engine.addSilence(Silence.builder().matchers("alertname=\"DiskFull\"", "instance=~\"db-.*\"")
                .startsAt(now).endsAt(now.plus(Duration.ofHours(2))).createdBy("ops@example.com").comment("resize").build(), now);
        engine.receive(Alert.firing(now.plusSeconds(10), "alertname", "HighLatency", "service", "checkout"), now.plusSeconds(10));

        Instant due = engine.nextTickAt().orElseThrow();
        assertThat(due).isEqualTo(now.plusSeconds(30));
        List<Notification> sent = engine.tick(due);
        assertThat(sent).hasSize(1);
        Notification n = sent.get(0);
        assertThat(n.receiver()).isEqualTo("pager");
        assertThat(n.groupKey()).isEqualTo("{}/{severity=\"page\"}:{alertname=\"DatabaseDown\", service=\"orders-db\"}");
        assertThat(n.incidents().get(0).root().name()).isEqualTo("DatabaseDown");
        assertThat(n.incidents().get(0).symptoms()).extracting(Alert::name).containsExactly("HighLatency");
    }
}
