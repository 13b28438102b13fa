package io.vigil.alerts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rule files load as Prometheus loads them, and bad ones fail at load naming file, position, group and rule. */
class RuleFilesLoadTest {

    private static final String GOOD = """
            groups:
              - name: api
                interval: 30s
                rules:
                  - record: job:up:sum
                    expr: sum by (job) (up)
                  - alert: ApiDown
                    expr: job:up:sum == 0
                    for: 2m
                    keep_firing_for: 1m
                    labels:
                      severity: critical
                    annotations:
                      summary: "{{ $labels.job }} is down ({{ $value | humanize }})"
            """;

    private static void assertRejected(String yaml, String... fragments) {
        assertThatThrownBy(() -> RuleFiles.parse("rules.yml", yaml)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> {
                    for (String fragment : fragments) {
                        assertThat(e.getMessage()).contains(fragment);
                    }
                });
    }

    @Test
    void loadsAStandardRuleFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("api.yml");
        Files.writeString(file, GOOD);
        RuleFiles rules = RuleFiles.load(file);
        assertThat(rules.groups()).singleElement().satisfies(g -> {
            assertThat(g.name()).isEqualTo("api");
            assertThat(g.interval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(g.rules()).hasSize(2);
        });
        AlertRule alert = rules.rules().get(1);
        assertThat(alert.isAlerting()).isTrue();
        assertThat(alert.forDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(alert.keepFiringFor()).isEqualTo(Duration.ofMinutes(1));
        assertThat(alert.labels()).containsEntry("severity", "critical");
        assertThat(alert).isEqualTo(AlertRule.alert("ApiDown").expr("job:up:sum == 0").forDuration(Duration.ofMinutes(2))
                .keepFiringFor(Duration.ofMinutes(1)).label("severity", "critical")
                .annotation("summary", "{{ $labels.job }} is down ({{ $value | humanize }})").build());
    }

    @Test
    void yamlSyntaxErrorNamesFileAndPosition() {
        assertRejected("groups:\n  - name: api\n    rules: [\n", "rules.yml:", "YAML syntax error");
        assertRejected("groups:\n  - name: a\n    name: b\n", "rules.yml:3:", "mapping key \"name\" already defined");
    }

    @Test
    void unsupportedPromqlNamesTheRuleAndTheConstruct() {
        assertRejected("""
                groups:
                  - name: api
                    rules:
                      - alert: Forecast
                        expr: holt_winters(up[1h], 0.5, 0.5) > 1
                """, "rules.yml:5:15", "group \"api\"", "rule 1 (alert \"Forecast\")", "holt_winters");
    }

    @Test
    void unknownTemplateFunctionNamesIt() {
        assertRejected("""
                groups:
                  - name: api
                    rules:
                      - alert: Down
                        expr: up == 0
                        annotations:
                          summary: "{{ $labels.job | toUpper }}"
                """, "rules.yml:4:9", "group \"api\"", "alert \"Down\"", "annotation \"summary\"",
                "function \"toUpper\" not supported");
    }

    @Test
    void duplicateRulesInAGroupAreRejected() {
        assertRejected("""
                groups:
                  - name: api
                    rules:
                      - alert: Down
                        expr: up == 0
                      - alert: Down
                        expr: up == 0
                """, "rules.yml:2:5", "group \"api\"", "rule \"Down\" is defined twice");
        // The same name with other labels (warning and critical variants) is Prometheus practice, and allowed.
        RuleFiles.parse("ok.yml", """
                groups:
                  - name: api
                    rules:
                      - alert: Down
                        expr: up == 0
                        labels: {severity: warning}
                      - alert: Down
                        expr: up == 0
                        for: 5m
                        labels: {severity: critical}
                """);
    }

    @Test
    void badDurationsAndFieldsAreRejected() {
        assertRejected("""
                groups:
                  - name: api
                    rules:
                      - alert: Down
                        expr: up == 0
                        for: 5 minutes
                """, "rules.yml:6:14", "alert \"Down\"", "'for'", "not a valid duration string");
        assertRejected("""
                groups:
                  - name: api
                    interval: 0s
                    rules: []
                """, "group \"api\"", "interval must be positive");
        assertRejected("""
                groups:
                  - name: api
                    rules:
                      - alert: Down
                        expr: up == 0
                        severity: page
                """, "rules.yml:6:19", "field 'severity' not supported");
        assertRejected("""
                groups:
                  - name: api
                    rules:
                      - record: job:up
                        alert: Down
                        expr: up
                """, "exactly one of 'record' and 'alert'");
        assertRejected("""
                groups:
                  - name: api
                    rules:
                      - record: not a metric name
                        expr: up
                """, "invalid recording rule name");
        assertRejected("""
                groups:
                  - name: api
                    rules: []
                  - name: api
                    rules: []
                """, "rules.yml:4:5", "groupname \"api\" is repeated in the same file");
    }

    @Test
    void javaBuiltRulesAreValidatedWhenBuilt() {
        assertThatThrownBy(() -> AlertRule.alert("X").expr("rate(up[5m:1m])").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subqueries");
        assertThatThrownBy(() -> AlertRule.record("x:y").expr("up").forDuration(Duration.ofMinutes(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recording rule");
        assertThatThrownBy(() -> AlertRule.alert("X").expr("up").label("__bad", "x").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid label name");
    }

    @Test
    void packIsConfigurableFromJava() {
        RuleFiles pack = RuleFiles.packBuilder()
                .threshold("VigilHttpHighErrorRatio", 0.02)
                .forDuration("VigilHttpHighErrorRatio", Duration.ofMinutes(2))
                .severity("VigilHighCpu", "critical")
                .disable("VigilHttpTrafficSpike")
                .runbookBaseUrl("https://wiki.example.com/runbooks")
                .build();
        AlertRule errors = pack.rules().stream().filter(r -> r.name().equals("VigilHttpHighErrorRatio")).findFirst()
                .orElseThrow();
        assertThat(errors.expr()).isEqualTo("service:http_server_requests_errors:ratio_rate5m > 0.02");
        assertThat(errors.forDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(errors.annotations()).containsEntry("runbook_url",
                "https://wiki.example.com/runbooks#vigilhttphigherrorratio");
        assertThat(pack.rules()).noneMatch(r -> r.name().equals("VigilHttpTrafficSpike"));
        assertThat(pack.rules()).filteredOn(r -> r.name().equals("VigilHighCpu")).singleElement()
                .satisfies(r -> assertThat(r.labels()).containsEntry("severity", "critical"));
        assertThat(RuleFiles.packBuilder().only("VigilHighCpu").build().rules().stream().filter(AlertRule::isAlerting)
                .map(AlertRule::name)).containsExactly("VigilHighCpu");
        assertThatThrownBy(() -> RuleFiles.packBuilder().threshold("NoSuchAlert", 1).build())
                .hasMessageContaining("no alert \"NoSuchAlert\"");
        assertThatThrownBy(() -> RuleFiles.packBuilder().threshold("VigilRedisDown", 1).build())
                .hasMessageContaining("has no threshold");
        assertThatThrownBy(() -> RuleFiles.packBuilder().disable("service:http_server_requests:rate5m").build())
                .hasMessageContaining("cannot be disabled");
    }

    @Test
    void everyPackAlertHasSeveritySummaryDescriptionAndRunbook() {
        for (AlertRule rule : RuleFiles.pack().rules()) {
            if (rule.isAlerting()) {
                assertThat(rule.labels()).as(rule.name()).containsKey("severity");
                assertThat(rule.annotations()).as(rule.name()).containsKeys("summary", "description", "runbook_url");
            } else {
                assertThat(rule.name()).as("level:metric:operations").matches("[a-z_]+:[a-z_]+:[a-z0-9_]+");
            }
        }
    }
}
