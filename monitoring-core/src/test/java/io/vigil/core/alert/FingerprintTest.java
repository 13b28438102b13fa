package io.vigil.core.alert;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fingerprints and group keys against values a real Alertmanager computed. Source: Debian's
 * {@code prometheus-alertmanager} 0.25.0 on this machine, started with {@code --cluster.listen-address=}; the
 * alerts below were POSTed to {@code /api/v2/alerts}, the fingerprints read back from {@code GET /api/v2/alerts}
 * and the group keys from the {@code groupKey} of its webhook notifications (2026-12-02).
 * {@link AlertmanagerLiveTest} repeats this against the binary whenever it is installed.
 */
class FingerprintTest {

    private static final Instant T0 = Instant.parse("2026-12-02T04:00:00Z");

    private static Alert alert(String... pairs) {
        return Alert.firing(T0, pairs);
    }

    @Test
    void fingerprintsMatchAlertmanager() {
        assertThat(alert("alertname", "HighLatency").fingerprint()).isEqualTo("73dbeed5635ea4e4");
        assertThat(alert("alertname", "HighLatency", "service", "checkout", "severity", "page").fingerprint())
                .isEqualTo("75072a3d82457715");
        assertThat(alert("alertname", "DatabaseDown", "service", "orders-db", "severity", "critical",
                "instance", "db-1:5432").fingerprint()).isEqualTo("afc0763573364aaf");
        assertThat(alert("alertname", "Quoted", "value", "She said: \"hi\"\\ back\nnew line").fingerprint())
                .isEqualTo("75f0e85b208d4906");
        assertThat(alert("alertname", "Unicode", "city", "Zürich", "jp", "日本語", "emoji", "🔥").fingerprint())
                .isEqualTo("fca65cc5ef0c70c9");
        assertThat(alert("alertname", "TabCtl", "v", "tab\there\u0001ctl").fingerprint()).isEqualTo("9befb8842f47cb40");
        assertThat(alert("alertname", "Prefix", "a", "1", "a1", "2", "a_b", "3", "service", "orders-db",
                "severity", "critical").fingerprint()).isEqualTo("7cabd31b41b13940");
    }

    @Test
    void emptyLabelValuesAreDroppedAsAlertmanagerDoes() {
        // POSTed as {"alertname":"Empty","empty":"","job":"api"}; Alertmanager drops "empty" before hashing.
        Alert a = alert("alertname", "Empty", "empty", "", "job", "api");
        assertThat(a.fingerprint()).isEqualTo("4ed3a84346384518");
        assertThat(a.labels()).containsOnlyKeys("alertname", "job");
    }

    @Test
    void fingerprintIgnoresInsertionOrderAndEverythingButLabels() {
        Map<String, String> forward = new LinkedHashMap<>();
        forward.put("alertname", "HighLatency");
        forward.put("service", "checkout");
        forward.put("severity", "page");
        Map<String, String> backward = new LinkedHashMap<>();
        backward.put("severity", "page");
        backward.put("service", "checkout");
        backward.put("alertname", "HighLatency");
        Alert a = Alert.builder().labels(forward).startsAt(T0).annotation("summary", "x").build();
        Alert b = Alert.builder().labels(backward).startsAt(T0.plusSeconds(60)).endsAt(T0.plusSeconds(120))
                .generatorUrl("http://prom/graph").build();
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint()).isEqualTo("75072a3d82457715");
        assertThat(a.fingerprintBits()).isEqualTo(Long.parseUnsignedLong("75072a3d82457715", 16));
    }

    @Test
    void emptyLabelSetHashIsTheFnvOffset() {
        // model.LabelSet{}.Fingerprint() is the FNV-64a offset basis (prometheus/common model/signature.go).
        assertThat(LabelSets.hex(LabelSets.fingerprint(new TreeMap<>()))).isEqualTo("cbf29ce484222325");
    }

    @Test
    void groupKeysMatchAlertmanager() {
        Route route = Route.builder().receiver("hook").groupBy("alertname").groupWait(java.time.Duration.ofSeconds(1))
                .route(Route.builder().matchers("service=\"orders-db\"", "severity=~\"crit.*\"").groupBy("...").build())
                .build();
        RouteNode root = RouteNode.root(route);
        Alert latency = alert("alertname", "HighLatency", "service", "checkout", "severity", "page");
        Alert db = alert("alertname", "DatabaseDown", "service", "orders-db", "severity", "critical", "instance", "db-1:5432");
        assertThat(groupKey(root, latency)).isEqualTo("{}:{alertname=\"HighLatency\"}");
        assertThat(groupKey(root, db)).isEqualTo("{}/{service=\"orders-db\",severity=~\"crit.*\"}:"
                + "{alertname=\"DatabaseDown\", instance=\"db-1:5432\", service=\"orders-db\", severity=\"critical\"}");
    }

    @Test
    void groupKeyOrdersLabelNamesAsCurrentAlertmanager() {
        // Alertmanager 0.25 (prometheus/common v0.38) sorted whole `name="value"` strings and sent
        //   {}/{service="orders-db",severity=~"crit.*"}:{a1="2", a="1", a_b="3", alertname="Prefix", ...}
        // prometheus/common >= v0.50 (Alertmanager 0.27+) sorts names: a before a1. Vigil follows the current one.
        RouteNode root = RouteNode.root(Route.builder().receiver("hook")
                .route(Route.builder().matchers("service=\"orders-db\"", "severity=~\"crit.*\"").groupBy("...").build())
                .build());
        Alert prefix = alert("alertname", "Prefix", "a", "1", "a1", "2", "a_b", "3", "service", "orders-db", "severity", "critical");
        assertThat(groupKey(root, prefix)).isEqualTo("{}/{service=\"orders-db\",severity=~\"crit.*\"}:"
                + "{a=\"1\", a1=\"2\", a_b=\"3\", alertname=\"Prefix\", service=\"orders-db\", severity=\"critical\"}");
    }

    @Test
    void labelValuesAreQuotedAsGoQuotes() {
        SortedMap<String, String> labels = new TreeMap<>(LabelSets.CODE_POINT_ORDER);
        labels.put("q", "She said: \"hi\"\\ back\nnew line");
        labels.put("u", "Zürich 日本語 🔥");
        labels.put("c", "tab\there\u0001ctl\u007f\u00a0");
        assertThat(LabelSets.format(labels)).isEqualTo(
                "{c=\"tab\\there\\x01ctl\\x7f\\u00a0\", q=\"She said: \\\"hi\\\"\\\\ back\\nnew line\", u=\"Zürich 日本語 🔥\"}");
    }

    @Test
    void labelNamesAreClassicPrometheusNames() {
        // Alertmanager 0.25 answered 400 "invalid label set: invalid name \"a:c\"" for such a label.
        assertThatThrownBy(() -> alert("alertname", "x", "a:c", "4"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a:c");
        assertThatThrownBy(() -> alert("empty", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one label");
        assertThatThrownBy(() -> Alert.builder().label("a", "b").startsAt(T0).endsAt(T0.minusSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before startsAt");
    }

    @Test
    void resolvedWhenEndsAtIsNotAfterNow() {
        Alert a = Alert.builder().label("alertname", "x").startsAt(T0).endsAt(T0.plusSeconds(60)).build();
        assertThat(a.isResolved(T0.plusSeconds(59))).isFalse();
        assertThat(a.isResolved(T0.plusSeconds(60))).isTrue();
        assertThat(alert("alertname", "x").isResolved(Instant.MAX)).isFalse();
    }

    @Test
    void namesAndValuesSortInCodePointOrderAsGoSortsBytes() {
        // Java's compareTo is UTF-16 order: U+FFFD sorts after an emoji (surrogates are 0xD8xx). UTF-8 bytes, as Go
        // compares them, put the emoji (U+1F525) after U+FFFD.
        String[] ordered = {"", "a", "a1", "a_b", "ab", "z", "é", "日本", "\uFFFD", "🔥", "🔥x"};
        for (int i = 0; i < ordered.length; i++) {
            for (int j = 0; j < ordered.length; j++) {
                assertThat(Integer.signum(LabelSets.compareCodePoints(ordered[i], ordered[j])))
                        .as(ordered[i] + " vs " + ordered[j]).isEqualTo(Integer.signum(Integer.compare(i, j)));
            }
        }
        assertThat("\uFFFD".compareTo("🔥")).as("UTF-16 order differs").isPositive();
    }

    private static String groupKey(RouteNode root, Alert alert) {
        RouteNode node = root.match(alert.labels()).get(0);
        return node.groupKey(node.groupLabels(alert.labels()));
    }
}
