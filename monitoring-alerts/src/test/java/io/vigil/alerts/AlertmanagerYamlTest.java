package io.vigil.alerts;

import io.vigil.core.alert.Matcher;
import io.vigil.core.alert.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The alertmanager.yml subset: every supported key is read into the route tree, receivers' channels and inhibition
 * rules, the same file passes Alertmanager's {@code amtool check-config}, and a file outside the subset fails with
 * a message naming the key and its path.
 */
class AlertmanagerYamlTest {

    @TempDir
    Path dir;

    static String resource(String name) throws IOException {
        try (InputStream in = AlertmanagerYamlTest.class.getResourceAsStream("alertmanager/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everySupportedKeyIsRead() throws Exception {
        AlertmanagerYaml.Config c = AlertmanagerYaml.parse("full.yml", resource("full.yml"), Map.of());

        assertThat(c.resolveTimeout()).isEqualTo(Duration.ofMinutes(2));
        Route root = c.route();
        assertThat(root.receiver()).contains("ops");
        assertThat(root.groupBy()).contains(List.of("alertname", "service"));
        assertThat(root.groupWait()).contains(Duration.ofSeconds(30));
        assertThat(root.groupInterval()).contains(Duration.ofMinutes(1));
        assertThat(root.repeatInterval()).contains(Duration.ofHours(4));
        assertThat(root.routes()).hasSize(2);

        Route oncall = root.routes().get(0);
        assertThat(oncall.matchers()).containsExactly(Matcher.equal("severity", "critical"),
                Matcher.regex("service", "orders.*"));
        assertThat(oncall.groupBy()).contains(List.of("..."));
        assertThat(oncall.continueMatching()).isTrue();
        assertThat(oncall.receiver()).contains("oncall");

        Route payments = root.routes().get(1);
        assertThat(payments.matchers()).containsExactly(Matcher.equal("team", "payments"),
                Matcher.regex("service", "pay.*"));
        assertThat(payments.continueMatching()).isFalse();
        assertThat(payments.groupWait()).contains(Duration.ofSeconds(10));
        assertThat(payments.groupBy()).isEmpty();
        Route quiet = payments.routes().get(0);
        assertThat(quiet.matchers()).containsExactly(Matcher.of(Matcher.Type.NOT_EQUAL, "env", "staging"));
        assertThat(quiet.repeatInterval()).contains(Duration.ofMinutes(90));

        assertThat(c.receivers()).containsOnly(
                Map.entry("ops", List.of("ops/webhook/0")),
                Map.entry("oncall", List.of("oncall/pagerduty/0")),
                Map.entry("payments", List.of("payments/slack/0", "payments/email/0")),
                Map.entry("quiet", List.of()));
        assertThat(c.channels()).extracting(NotificationChannel::name).containsExactly("ops/webhook/0",
                "oncall/pagerduty/0", "payments/slack/0", "payments/email/0");
        assertThat(c.sendResolved()).containsOnly(Map.entry("ops", true), Map.entry("oncall", true),
                Map.entry("payments", false));
        // Secrets stay out of toString.
        assertThat(c.channels().toString()).doesNotContain("s3cret", "0123456789abcdef", "XXXX");

        assertThat(c.inhibitRules()).hasSize(2);
        assertThat(c.inhibitRules().get(0).sourceMatchers()).containsExactly(Matcher.equal("severity", "critical"));
        assertThat(c.inhibitRules().get(0).targetMatchers()).containsExactly(Matcher.equal("severity", "warning"));
        assertThat(c.inhibitRules().get(0).equal()).containsExactly("service");
        assertThat(c.inhibitRules().get(1).sourceMatchers()).containsExactly(Matcher.equal("alertname", "OrdersDbDown"));
        assertThat(c.inhibitRules().get(1).targetMatchers()).containsExactly(Matcher.regex("service", "orders.*"));
    }

    @Test
    void amtoolAcceptsTheSameFile() throws Exception {
        Path file = dir.resolve("full.yml");
        Files.writeString(file, resource("full.yml"));
        Amtool.Result result = Amtool.checkConfig(file);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS", "4 receivers", "2 inhibit rules");
    }

    @Test
    void alertManagerBuildsFromTheFile() throws Exception {
        Path file = dir.resolve("full.yml");
        Files.writeString(file, resource("full.yml"));
        try (AlertManager manager = AlertManager.builder(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                .alertmanagerConfig(file).tickInterval(Duration.ZERO).stateDirectory(dir.resolve("state"))
                .escalate("oncall", EscalationPolicy.builder().level(Duration.ZERO, "oncall/pagerduty/0")
                        .level(Duration.ofMinutes(15), "ops/webhook/0").build())
                .build()) {
            assertThat(manager.correlation()).isNotNull();
        }
    }

    /**
     * Each file breaks one rule; the message names the key and where it is. The last column says whether
     * Alertmanager rejects it too (true) or accepts a key Vigil does not support (false).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            route: {receiver: ops, group_wiat: 30s}|unknown or unsupported key "group_wiat" (route.group_wiat)|true
            route: {receiver: ops, group_wait: 30 seconds}|route.group_wait: not a valid duration string: "30 seconds"|true
            route: {receiver: nobody}|undefined receiver "nobody"|true
            route: {receiver: ops, routes: [{receiver: ops, matchers: ['severity=~"(crit"']}]}|route.routes[0].matchers[0]: error parsing regexp|true
            route: {receiver: ops, routes: [{receiver: ops, mute_time_intervals: [night]}]}|(route.routes[0].mute_time_intervals)|true
            route: {receiver: ops, matchers: ['a="b"']}|route: root route must not have any matchers|true
            templates: ['/etc/am/*.tmpl']|unknown or unsupported key "templates" (templates)|false
            global: {smtp_smarthost: 'smtp:25'}|unknown or unsupported key "smtp_smarthost" (global.smtp_smarthost)|false
            slack: {channel: '#ops'}|(receivers[0].slack_configs[0].channel)|false
            webhook: {http_config: {follow_redirects: true}}|(receivers[0].webhook_configs[0].http_config)|false
            inhibit: {source_matchers: ['a="b"'], target_matchers: ['c="d"'], equals: [x]}|(inhibit_rules[0].equals)|true
            """)
    void rejectedNamingTheKey(String variant, String message, boolean amtoolRejectsToo) throws Exception {
        String yaml = badFile(variant);
        assertThatThrownBy(() -> AlertmanagerYaml.parse("bad.yml", yaml, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bad.yml: ")
                .hasMessageContaining(message);

        Path file = dir.resolve("bad.yml");
        Files.writeString(file, yaml);
        Amtool.Result result = Amtool.checkConfig(file);
        assertThat(result.exitCode() != 0).as(result.output()).isEqualTo(amtoolRejectsToo);
    }

    /** A valid file with one part replaced by {@code variant}. */
    private static String badFile(String variant) {
        String receivers = """
                receivers:
                  - name: ops
                    webhook_configs:
                      - url: http://127.0.0.1:9/hook
                """;
        if (variant.startsWith("slack: ")) {
            return "route: {receiver: ops}\nreceivers:\n  - name: ops\n    slack_configs:\n"
                    + "      - {api_url: 'https://hooks.slack.com/services/T/B/X', " + inner(variant) + "}\n";
        }
        if (variant.startsWith("webhook: ")) {
            return "route: {receiver: ops}\nreceivers:\n  - name: ops\n    webhook_configs:\n"
                    + "      - {url: 'http://127.0.0.1:9/hook', " + inner(variant) + "}\n";
        }
        if (variant.startsWith("inhibit: ")) {
            return "route: {receiver: ops}\n" + receivers + "inhibit_rules:\n  - {" + inner(variant) + "}\n";
        }
        if (variant.startsWith("route: ")) {
            return variant + "\n" + receivers;
        }
        return "route: {receiver: ops}\n" + receivers + variant + "\n";
    }

    private static String inner(String variant) {
        String body = variant.substring(variant.indexOf('{') + 1);
        return body.substring(0, body.length() - 1);
    }

    /** Alertmanager accepts this file (send_resolved is per integration there); Vigil's subset does not. */
    @Test
    void receiverMixingSendResolvedIsRejected() throws Exception {
        String yaml = """
                route: {receiver: ops}
                receivers:
                  - name: ops
                    webhook_configs: [{url: 'http://127.0.0.1:9/hook'}]
                    slack_configs: [{api_url: 'https://hooks.slack.com/services/T/B/X'}]
                """;
        assertThatThrownBy(() -> AlertmanagerYaml.parse("mixed.yml", yaml, Map.of()))
                .hasMessage("mixed.yml: receivers[0]: receiver \"ops\" mixes send_resolved true and false across"
                        + " its integrations; Vigil applies send_resolved per receiver: split it into two receivers");
        Path file = dir.resolve("mixed.yml");
        Files.writeString(file, yaml);
        assertThat(Amtool.checkConfig(file).exitCode()).isZero();
    }

    @Test
    void secretsAreNotInMessages() {
        String yaml = """
                route: {receiver: ops}
                receivers:
                  - name: ops
                    webhook_configs: [{url: 'ftp://user:topsecret@example.org/hook'}]
                """;
        assertThatThrownBy(() -> AlertmanagerYaml.parse("s.yml", yaml, Map.of()))
                .hasMessage("s.yml: receivers[0].webhook_configs[0].url: URL scheme must be http or https, not ftp")
                .message().doesNotContain("topsecret");
    }
}
