package io.vigil.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of {@code monitoring/}: what Prometheus and Grafana need to load the files. That the dashboard's
 * queries match the demo's real series is {@link DemoServiceTest#dashboardQueriesOnlySeriesAndLabelsTheDemoEmits}.
 */
class MonitoringFilesTest {

    private static final Path MONITORING = Path.of("monitoring");

    @Test
    void prometheusScrapesTheDemoEvery15Seconds() throws IOException {
        String config = Files.readString(MONITORING.resolve("prometheus.yml"));
        assertThat(config).contains("metrics_path: /metrics", "scrape_interval: 15s", "\"localhost:8080\"",
                "honor_labels: true");
        assertThat(config).doesNotContain("\t");
    }

    @Test
    void dashboardIsAGrafanaDashboardOnAPrometheusDatasource() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(
                MONITORING.resolve("grafana").resolve("vigil-red.json")));
        assertThat(dashboard.path("uid").asText()).isEqualTo("vigil-red");
        assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
        Set<Integer> ids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique panel id %s", panel.path("id")).isTrue();
            titles.add(panel.path("title").asText());
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("w").asInt()).isBetween(1, 24);
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).isLessThanOrEqualTo(24);
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                assertThat(target.path("expr").asText()).isNotBlank();
            }
        }
        assertThat(titles).contains("Request rate by route", "Errors by route and status", "Duration p99 by route",
                "DB operation rate", "DB operation latency", "Cache hit ratio", "Health");
        assertThat(dashboard.path("templating").path("list").findValuesAsText("name"))
                .containsExactly("datasource", "service", "instance");
    }
}
