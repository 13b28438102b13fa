package io.vigil.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.alerts.testkit.RealTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of {@code monitoring/}: what Prometheus, Alertmanager and Grafana need to load the files, checked by
 * the real {@code promtool} and {@code amtool} where installed. That the dashboard's queries match the demo's real
 * series is {@link DemoServiceTest#dashboardQueriesOnlySeriesAndLabelsTheDemoEmits}, the rest of the stack (Grafana,
 * compose, Kubernetes, Swarm) {@link StackFilesTest}; that Prometheus and
 * Alertmanager run with them is {@link RealEnginesEndToEndTest}.
 */
class MonitoringFilesTest {

    private static final Path MONITORING = Path.of("monitoring");
    private static final Path ALERTMANAGER = MONITORING.resolve("alertmanager").resolve("alertmanager.yml");
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void prometheusScrapesTheDemoAndLoadsTheRulesAndAlertmanager() throws IOException {
        String text = ShippedPrometheusConfig.text();
        assertThat(text).doesNotContain("\t");
        JsonNode config = YAML.readTree(text);
        List<String> rules = new ArrayList<>();
        config.path("rule_files").forEach(f -> rules.add(f.asText()));
        assertThat(rules).containsExactly("recording_rules.yml", "alerting_rules.yml", "orders_rules.yml");
        for (String file : rules) {
            assertThat(ShippedPrometheusConfig.DIRECTORY.resolve(file)).isRegularFile();
        }
        assertThat(config.path("alerting").path("alertmanagers").get(0).path("static_configs").get(0)
                .path("targets").get(0).asText()).isEqualTo("localhost:9093");
        JsonNode demo = job(config, "vigil-demo");
        assertThat(demo.path("metrics_path").asText()).isEqualTo("/metrics");
        assertThat(demo.path("honor_labels").asBoolean()).isTrue();
        assertThat(demo.path("static_configs").get(0).path("targets").get(0).asText()).isEqualTo("localhost:8080");
        assertThat(job(config, "vigil-file-sd").path("file_sd_configs").get(0).path("files").toString())
                .contains("targets/*.json");
        assertThat(job(config, "vigil-swarm-tasks").path("dockerswarm_sd_configs").get(0).path("role").asText())
                .isEqualTo("tasks");
        JsonNode kubernetes = job(config, ShippedPrometheusConfig.KUBERNETES_JOB);
        assertThat(kubernetes.path("kubernetes_sd_configs").get(0).path("role").asText()).isEqualTo("pod");
        assertThat(kubernetes.path("relabel_configs").get(0).path("action").asText()).isEqualTo("keep");
        for (JsonNode job : config.path("scrape_configs")) {
            assertThat(job.path("honor_labels").asBoolean()).as(job.path("job_name").asText()).isTrue();
        }
    }

    @Test
    void promtoolAcceptsThePrometheusConfigurationAndItsRuleFiles(@TempDir Path scratch) throws IOException {
        String promtool = RealTools.require("promtool");
        // In a directory of its own with the rule files, which the configuration names relative to itself.
        for (String rules : List.of("recording_rules.yml", "alerting_rules.yml", "orders_rules.yml")) {
            Files.copy(ShippedPrometheusConfig.DIRECTORY.resolve(rules), scratch.resolve(rules));
        }
        Path copy = Files.writeString(scratch.resolve("prometheus.yml"),
                ShippedPrometheusConfig.forThisBuild(promtool, scratch));
        RealTools.Result result = RealTools.run(promtool, "check", "config", copy.toString());
        assertThat(result.exit()).as(result.out()).isZero();
        assertThat(result.out()).contains("SUCCESS: 2 rules found", "is valid prometheus config file syntax");
        // The Kubernetes job alone, where the build has Kubernetes discovery (Debian's has not: parsed above).
        if (ShippedPrometheusConfig.kubernetesSupported(promtool, scratch)) {
            Path alone = Files.writeString(scratch.resolve("k8s.yml"), "scrape_configs:\n"
                    + ShippedPrometheusConfig.kubernetesJob());
            assertThat(RealTools.run(promtool, "check", "config", alone.toString()).exit()).isZero();
        }
    }

    @Test
    void amtoolAcceptsTheAlertmanagerConfiguration() throws IOException {
        String amtool = RealTools.require("amtool");
        RealTools.Result result = RealTools.run(amtool, "check-config", ALERTMANAGER.toString());
        assertThat(result.exit()).as(result.out()).isZero();
        assertThat(result.out()).contains("SUCCESS", "2 inhibit rules", "2 receivers");
        JsonNode config = YAML.readTree(ALERTMANAGER.toFile());
        assertThat(config.path("route").path("receiver").asText()).isEqualTo("team");
        assertThat(config.path("route").path("routes").get(0).path("receiver").asText()).isEqualTo("oncall");
    }

    @Test
    void theDemoLoadsTheShippedFilesThemselves() throws IOException {
        for (Path shipped : List.of(ALERTMANAGER, ShippedPrometheusConfig.DIRECTORY.resolve("orders_rules.yml"))) {
            try (InputStream in = DemoService.class.getResourceAsStream(DemoService.MONITORING_RESOURCES
                    + shipped.getFileName())) {
                assertThat(in).as("%s on the demo's classpath", shipped.getFileName()).isNotNull();
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(Files.readString(shipped));
            }
        }
    }

    private static JsonNode job(JsonNode config, String name) {
        for (JsonNode job : config.path("scrape_configs")) {
            if (job.path("job_name").asText().equals(name)) {
                return job;
            }
        }
        throw new AssertionError("no scrape job " + name);
    }
}
