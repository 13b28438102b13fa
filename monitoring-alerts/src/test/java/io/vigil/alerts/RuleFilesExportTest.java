package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The pack exported as Prometheus rule files and as a PrometheusRule: the copies committed under
 * {@code examples/monitoring/} are exactly what the pack generates (regenerate with
 * {@code -Dvigil.regenerate=true}), promtool accepts every exported file, and reading an export back gives the
 * same rules.
 */
class RuleFilesExportTest {

    private static final Path EXAMPLES = Path.of("../examples/monitoring");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static String prometheusRule() {
        return RuleFiles.pack().prometheusRule("vigil-rules", null,
                Map.of("app.kubernetes.io/name", "vigil", "prometheus", "k8s"));
    }

    @Test
    void committedCopiesAreWhatThePackGenerates() throws IOException {
        RuleFiles pack = RuleFiles.pack();
        Map<Path, String> generated = Map.of(
                EXAMPLES.resolve("prometheus/recording_rules.yml"), pack.recordingRulesYaml(),
                EXAMPLES.resolve("prometheus/alerting_rules.yml"), pack.alertingRulesYaml(),
                EXAMPLES.resolve("kubernetes/prometheusrule.yml"), prometheusRule());
        for (Map.Entry<Path, String> e : generated.entrySet()) {
            if (Boolean.getBoolean("vigil.regenerate")) {
                Files.createDirectories(e.getKey().getParent());
                Files.writeString(e.getKey(), e.getValue(), StandardCharsets.UTF_8);
            }
            assertThat(e.getKey()).as(e.getKey() + " is stale: run this test with -Dvigil.regenerate=true")
                    .hasContent(e.getValue());
        }
    }

    @Test
    void readingAnExportBackGivesTheSameRules() {
        RuleFiles pack = RuleFiles.pack();
        RuleFiles back = RuleFiles.parse("recording_rules.yml", pack.recordingRulesYaml())
                .plus(RuleFiles.parse("alerting_rules.yml", pack.alertingRulesYaml()));
        assertThat(back).isEqualTo(pack);
        assertThat(RuleFiles.parse("all.yml", pack.toYaml())).isEqualTo(pack);
    }

    @Test
    void prometheusRuleIsAnOperatorResourceHoldingEveryGroup() throws IOException {
        JsonNode resource = YAML.readTree(prometheusRule());
        assertThat(resource.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(resource.path("kind").asText()).isEqualTo("PrometheusRule");
        assertThat(resource.path("metadata").path("name").asText()).isEqualTo("vigil-rules");
        assertThat(resource.path("metadata").path("labels").path("prometheus").asText()).isEqualTo("k8s");
        List<String> groups = new ArrayList<>();
        resource.path("spec").path("groups").forEach(g -> groups.add(g.path("name").asText()));
        assertThat(groups).isEqualTo(RuleFiles.pack().groups().stream().map(RuleFiles.Group::name).toList());
    }

    @Test
    void javaBuiltRulesRenderToTheSameYamlAsLoaded() {
        AlertRule rule = AlertRule.alert("CheckoutSlow")
                .expr("histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{uri=\"/checkout\"}[5m]))) > 0.5")
                .forDuration(Duration.ofMinutes(10)).keepFiringFor(Duration.ofMinutes(5))
                .label("severity", "warning")
                .annotation("summary", "p99 of /checkout is {{ humanizeDuration $value }}")
                .build();
        RuleFiles files = RuleFiles.of(new RuleFiles.Group("checkout", Duration.ofSeconds(30), List.of(rule)));
        assertThat(files.toYaml()).isEqualTo("""
                groups:
                  - name: checkout
                    interval: 30s
                    rules:
                      - alert: CheckoutSlow
                        expr: "histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{uri=\\"/checkout\\"}[5m]))) > 0.5"
                        for: 10m
                        keep_firing_for: 5m
                        labels:
                          severity: warning
                        annotations:
                          summary: "p99 of /checkout is {{ humanizeDuration $value }}"
                """);
        assertThat(RuleFiles.parse("checkout.yml", files.toYaml())).isEqualTo(files);
    }

    @Test
    void promtoolAcceptsEveryExportedFile(@TempDir Path dir) throws IOException, InterruptedException {
        Optional<Path> promtool = PromtoolRuleFilesTest.promtool();
        assumeTrue(promtool.isPresent(), PromtoolRuleFilesTest.INSTALL_HINT);
        RuleFiles.pack().writeTo(dir);
        // promtool checks rule files; the PrometheusRule's spec is one.
        Path spec = dir.resolve("prometheusrule_spec.yml");
        Files.writeString(spec, YAML.writeValueAsString(YAML.readTree(prometheusRule()).path("spec")));
        Path userRules = dir.resolve("user_rules.yml");
        Files.writeString(userRules, RuleFiles.packBuilder().threshold("VigilHttpHighErrorRatio", 0.02)
                .disable("VigilHttpTrafficSpike").build().plus(RuleFiles.group("checkout",
                        AlertRule.alert("CheckoutDown").expr("up{job=\"checkout\"} == 0").build())).toYaml());
        List<String> command = new ArrayList<>(List.of(promtool.get().toString(), "check", "rules"));
        for (String f : List.of("recording_rules.yml", "alerting_rules.yml", "prometheusrule_spec.yml", "user_rules.yml")) {
            command.add(dir.resolve(f).toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS: 12 rules found").contains("SUCCESS: 19 rules found")
                .contains("SUCCESS: 31 rules found").contains("SUCCESS: 31 rules found");
    }
}
