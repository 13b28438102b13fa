package io.vigil.alerts;

import io.vigil.alerts.testkit.RealTools;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.core.alert.CorrelationEngine;
import io.vigil.core.alert.Route;
import io.vigil.core.alert.Silence;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Debian's {@code amtool} (Alertmanager 0.25) against Vigil: alerts and silences, and its output shows Vigil's state. */
class AmtoolTest {

    @Test
    void amtoolAddsListsQueriesAndExpiresSilencesAndListsAlerts() {
        String amtool = RealTools.require("amtool");
        CorrelationEngine engine = CorrelationEngine.builder(Route.builder().receiver("ops").groupBy("alertname").build())
                .build();
        try (ApiServer server = new ApiServer(AlertsServlet.builder(engine).registry(new SimpleMeterRegistry()).build(),
                "/vigil/am")) {
            List<String> base = List.of(amtool, "--alertmanager.url=" + server.url());

            RealTools.Result add = run(base, "alert", "add", "DiskFull", "severity=page", "--annotation=summary=disk at 97%");
            assertThat(add.exit()).as(add.out()).isZero();
            assertThat(engine.alerts(Instant.now())).singleElement()
                    .satisfies(s -> assertThat(s.alert().labels()).containsEntry("alertname", "DiskFull")
                            .containsEntry("severity", "page"));

            RealTools.Result alerts = run(base, "alert", "query");
            assertThat(alerts.out()).as(alerts.out()).contains("DiskFull").contains("disk at 97%").contains("active");

            RealTools.Result silence = run(base, "silence", "add", "alertname=DiskFull", "--comment=cleaning up",
                    "--author=alice", "--duration=1h");
            assertThat(silence.exit()).as(silence.out()).isZero();
            assertThat(silence.out()).doesNotContain("Warning");
            String id = silence.out().trim();
            assertThat(engine.silence(id)).as("[" + id + "] " + engine.silences()).isPresent();
            Silence held = engine.silence(id).orElseThrow();
            assertThat(held.createdBy()).isEqualTo("alice");
            assertThat(held.comment()).isEqualTo("cleaning up");
            assertThat(held.matchers()).hasToString("[alertname=\"DiskFull\"]");

            RealTools.Result table = run(base, "silence", "query");
            assertThat(table.out()).contains(id).contains("alertname=\"DiskFull\"").contains("alice").contains("cleaning up");
            assertThat(run(base, "silence", "query", "-q", "alertname=DiskFull").out().trim()).isEqualTo(id);
            assertThat(run(base, "silence", "query", "-q", "alertname=Other").out().trim()).isEmpty();

            // Silenced: gone from the default listing (active only), shown as suppressed with --silenced.
            assertThat(run(base, "alert", "query").out()).doesNotContain("DiskFull");
            assertThat(run(base, "alert", "query", "--silenced").out()).contains("DiskFull").contains("suppressed");

            RealTools.Result expire = run(base, "silence", "expire", id);
            assertThat(expire.exit()).as(expire.out()).isZero();
            assertThat(engine.silence(id).orElseThrow().state(Instant.now())).isEqualTo(Silence.State.EXPIRED);
            assertThat(run(base, "silence", "query", "-q").out().trim()).isEmpty();
            assertThat(run(base, "silence", "query", "--expired", "-q").out().trim()).isEqualTo(id);
            assertThat(run(base, "alert", "query").out()).contains("DiskFull");
        }
    }

    private static RealTools.Result run(List<String> base, String... args) {
        List<String> command = new ArrayList<>(base);
        command.addAll(List.of(args));
        return RealTools.run(command);
    }
}
