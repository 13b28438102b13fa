package io.vigil.core.alert;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.vigil.core.alert.Timeline.T0;
import static io.vigil.core.alert.Timeline.at;
import static io.vigil.core.alert.Timeline.m;
import static io.vigil.core.alert.Timeline.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Root cause by dependency graph: one incident names the cause and lists its symptoms. */
class DependencyCorrelationTest {

    private static final Instant FAR = T0.plus(Duration.ofDays(30));

    private static Alert alert(String name, String service, String instance, Duration start) {
        return Alert.builder().label("alertname", name).label("service", service).label("instance", instance)
                .startsAt(at(start)).endsAt(FAR).build();
    }

    private static Route route() {
        return Route.builder().receiver("oncall").groupBy("alertname", "service").build();
    }

    /** checkout, orders and payments all use orders-db directly. */
    private static final DependencyGraph STAR = DependencyGraph.builder()
            .dependsOn("checkout", "orders-db", "cache")
            .dependsOn("orders", "orders-db")
            .dependsOn("payments", "orders-db")
            .window(m(5))
            .build();

    /** 20 alerts across 3 services, 7 + 7 + 6, starting 5 s to 24 s after the database went down. */
    private static List<Alert> twentySymptoms() {
        List<Alert> out = new ArrayList<>();
        String[] services = {"checkout", "orders", "payments"};
        String[] names = {"HighLatency", "HighErrorRate", "PoolExhausted"};
        for (int i = 0; i < 20; i++) {
            out.add(alert(names[i % 3], services[i % 3], "pod-" + i, s(5 + i)));
        }
        return out;
    }

    @Test
    void aDatabaseOutageWithTwentyDependentAlertsYieldsOneIncidentNotification() {
        Timeline t = new Timeline(CorrelationEngine.builder(route()).dependencies(STAR).build());
        Alert db = alert("DatabaseDown", "orders-db", "db-1", s(0));
        t.receive(db);
        List<Alert> symptoms = twentySymptoms();
        for (Alert symptom : symptoms) {
            t.advanceTo(Duration.between(T0, symptom.startsAt()));
            t.receive(symptom);
        }
        assertThat(symptoms.stream().map(a -> a.labels().get("service")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("checkout", "orders", "payments");

        t.advanceTo(m(30));
        assertThat(t.sent).as("one notification in 30 minutes, for the database").hasSize(1);
        Notification page = t.sent.get(0);
        assertThat(page.at()).isEqualTo(at(s(30)));
        assertThat(page.groupKey()).isEqualTo("{}:{alertname=\"DatabaseDown\", service=\"orders-db\"}");
        assertThat(page.firing()).extracting(Alert::fingerprint).containsExactly(db.fingerprint());
        assertThat(page.incidents()).hasSize(1);
        Incident incident = page.incidents().get(0);
        assertThat(incident.root().fingerprint()).isEqualTo(db.fingerprint());
        assertThat(incident.root().labels()).containsEntry("service", "orders-db");
        assertThat(incident.symptoms()).hasSize(20);
        assertThat(incident.symptoms()).extracting(Alert::fingerprint)
                .containsExactlyInAnyOrderElementsOf(symptoms.stream().map(Alert::fingerprint).toList());

        // The API view says the same.
        assertThat(t.engine.incidents(t.now)).hasSize(1);
        assertThat(t.engine.incidents(t.now).get(0).symptoms()).hasSize(20);
        assertThat(t.engine.alerts(t.now).stream().filter(st -> st.symptomOf().isPresent()))
                .hasSize(20).allMatch(st -> st.symptomOf().get().equals(incident.id()));
    }

    @Test
    void symptomsThatOutliveTheirRootAreSplitBackOutAndNotified() {
        Timeline t = new Timeline(CorrelationEngine.builder(route()).dependencies(STAR).build());
        Alert db = alert("DatabaseDown", "orders-db", "db-1", s(0));
        t.receive(db);
        List<Alert> symptoms = twentySymptoms();
        for (Alert symptom : symptoms) {
            t.advanceTo(Duration.between(T0, symptom.startsAt()));
            t.receive(symptom);
        }
        t.advanceTo(m(9));
        assertThat(t.sent).hasSize(1);

        t.receive(db.withEndsAt(at(m(9)))); // the database recovers first
        List<Notification> after = t.advanceTo(m(15));
        Notification dbResolved = after.stream().filter(n -> n.groupKey().contains("orders-db")).findFirst().orElseThrow();
        assertThat(dbResolved.allResolved()).isTrue();
        assertThat(dbResolved.incidents().get(0).resolved()).isTrue();

        List<Notification> own = after.stream().filter(n -> !n.groupKey().contains("orders-db")).toList();
        // Each of the three (alertname, service) groups of symptoms now notifies its alerts as incidents of their own.
        assertThat(own).hasSize(3);
        assertThat(own.stream().flatMap(n -> n.firing().stream()).map(Alert::fingerprint))
                .containsExactlyInAnyOrderElementsOf(symptoms.stream().map(Alert::fingerprint).toList());
        assertThat(own.stream().flatMap(n -> n.incidents().stream())).hasSize(20).allMatch(i -> i.symptoms().isEmpty());
        assertThat(t.engine.incidents(t.now)).hasSize(20);
        assertThat(t.engine.alerts(t.now)).noneMatch(st -> st.symptomOf().isPresent());
    }

    @Test
    void aSymptomThatResolvesFirstStaysInTheIncidentAndIsNeverSentAlone() {
        Timeline t = new Timeline(CorrelationEngine.builder(route()).dependencies(STAR).build());
        Alert db = alert("DatabaseDown", "orders-db", "db-1", s(0));
        Alert latency = alert("HighLatency", "checkout", "pod-1", s(10));
        t.receive(db, latency);
        t.advanceTo(m(2));
        t.receive(latency.withEndsAt(at(m(2))));
        t.advanceTo(m(9));
        t.receive(db.withEndsAt(at(m(9))));
        t.advanceTo(m(30));
        assertThat(t.sent).allMatch(n -> n.groupKey().contains("orders-db"));
        assertThat(t.sent.get(0).incidents().get(0).symptoms()).extracting(Alert::name).containsExactly("HighLatency");
    }

    @Test
    void lateSymptomsUpdateTheIncidentAtTheNextGroupInterval() {
        Timeline t = new Timeline(CorrelationEngine.builder(route()).dependencies(STAR).build());
        t.receive(alert("DatabaseDown", "orders-db", "db-1", s(0)));
        t.advanceTo(s(20));
        t.receive(alert("HighLatency", "checkout", "pod-1", s(20)));
        t.advanceTo(m(2));
        t.receive(alert("HighLatency", "orders", "pod-2", m(2)));
        t.advanceTo(m(20));
        assertThat(t.sendTimes()).containsExactly(s(30), Duration.ofSeconds(330));
        assertThat(t.sent.get(0).incidents().get(0).symptoms()).hasSize(1);
        assertThat(t.sent.get(1).incidents().get(0).symptoms()).hasSize(2);
        assertThat(t.sent.get(1).incidents().get(0).id()).isEqualTo(t.sent.get(0).incidents().get(0).id());
    }

    @Test
    void onlyDependentsStartingWithinTheWindowAfterTheRootJoin() {
        Timeline t = new Timeline(CorrelationEngine.builder(route()).dependencies(STAR).build());
        t.receive(alert("HighLatency", "checkout", "before-root", Duration.ofSeconds(-1)));
        t.receive(alert("DatabaseDown", "orders-db", "db-1", s(0)));
        t.advanceTo(m(5));
        t.receive(alert("HighLatency", "checkout", "at-window-end", m(5)));
        t.advanceTo(Duration.ofSeconds(301));
        t.receive(alert("HighLatency", "checkout", "after-window", Duration.ofSeconds(301)));
        t.receive(alert("HighLatency", "search", "unrelated-service", Duration.ofSeconds(301)));
        t.advanceTo(Duration.ofSeconds(302));
        // Another alert of the database itself is no symptom (a service does not depend on itself); it starts
        // after "after-window", so it cannot adopt it either.
        t.receive(alert("SlowQueries", "orders-db", "same-service-as-root", Duration.ofSeconds(302)));
        Set<String> symptoms = t.engine.alerts(t.now).stream().filter(st -> st.symptomOf().isPresent())
                .map(st -> st.alert().labels().get("instance")).collect(Collectors.toSet());
        assertThat(symptoms).containsExactly("at-window-end");
    }

    @Test
    void aChainEndsAtTheDeepestRootAndReattachesWhenTheDeepestRecovers() {
        DependencyGraph chain = DependencyGraph.builder().dependsOn("checkout", "orders").dependsOn("orders", "orders-db").build();
        Timeline t = new Timeline(CorrelationEngine.builder(route()).dependencies(chain).build());
        Alert db = alert("DatabaseDown", "orders-db", "db-1", s(0));
        Alert orders = alert("HighErrorRate", "orders", "pod-1", s(5));
        Alert checkout = alert("HighLatency", "checkout", "pod-2", s(10));
        t.receive(db, orders, checkout);
        t.advanceTo(s(30));
        assertThat(t.sent).hasSize(1);
        assertThat(t.sent.get(0).incidents().get(0).symptoms()).extracting(Alert::name)
                .containsExactlyInAnyOrder("HighErrorRate", "HighLatency");

        t.advanceTo(m(3));
        t.receive(db.withEndsAt(at(m(3))));
        List<Notification> after = t.advanceTo(m(6));
        Notification ordersPage = after.stream().filter(n -> n.groupKey().contains("\"orders\"")).findFirst().orElseThrow();
        assertThat(ordersPage.incidents().get(0).symptoms()).extracting(Alert::name).containsExactly("HighLatency");
        assertThat(after).noneMatch(n -> n.groupKey().contains("\"checkout\"") && !n.firing().isEmpty());
    }

    @Test
    void theServiceLabelIsConfigurable() {
        DependencyGraph graph = DependencyGraph.builder().label("component").dependsOn("api", "db").build();
        Timeline t = new Timeline(CorrelationEngine.builder(Route.builder().receiver("r").groupBy("alertname").build())
                .dependencies(graph).build());
        t.receive(Alert.builder().label("alertname", "Down").label("component", "db").startsAt(T0).endsAt(FAR).build(),
                Alert.builder().label("alertname", "Slow").label("component", "api").startsAt(T0.plusSeconds(1)).endsAt(FAR).build());
        List<Notification> sent = t.advanceTo(s(30));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).incidents().get(0).symptoms()).extracting(Alert::name).containsExactly("Slow");
    }

    @Test
    void aSilencedSymptomIsLeftOutOfTheIncident() {
        Timeline t = new Timeline(CorrelationEngine.builder(route()).dependencies(STAR).build());
        t.engine.addSilence(Silence.builder().matchers("instance=pod-1").startsAt(T0).endsAt(at(m(60)))
                .createdBy("ops").build(), T0);
        t.receive(alert("DatabaseDown", "orders-db", "db-1", s(0)), alert("HighLatency", "checkout", "pod-1", s(1)),
                alert("HighLatency", "checkout", "pod-2", s(1)));
        List<Notification> sent = t.advanceTo(s(30));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).incidents().get(0).symptoms()).extracting(a -> a.labels().get("instance")).containsExactly("pod-2");
    }

    @Test
    void aSilencedRootStillExplainsItsSymptoms() {
        // As an inhibiting source counts in Alertmanager even when silenced: a planned database maintenance,
        // silenced, does not page for the database nor for the latency it causes upstream.
        Timeline t = new Timeline(CorrelationEngine.builder(route()).dependencies(STAR).build());
        t.engine.addSilence(Silence.builder().matchers("service=orders-db").startsAt(T0).endsAt(at(m(60)))
                .createdBy("dba").comment("maintenance").build(), T0);
        t.receive(alert("DatabaseDown", "orders-db", "db-1", s(0)), alert("HighLatency", "checkout", "pod-1", s(20)));
        assertThat(t.advanceTo(m(30))).isEmpty();
        assertThat(t.engine.alerts(t.now)).allMatch(CorrelationEngine.AlertStatus::suppressed);
    }

    @Test
    void symptomsJoinTheRootThatPagesRatherThanAnInhibitedOne() {
        InhibitRule criticalMutesWarning = InhibitRule.builder().sourceMatchers("severity=critical")
                .targetMatchers("severity=warning").equal("service").build();
        Timeline t = new Timeline(CorrelationEngine.builder(route()).dependencies(STAR).inhibitRule(criticalMutesWarning).build());
        t.receive(Alert.builder().label("alertname", "DatabaseSlow").label("service", "orders-db").label("severity", "warning")
                        .startsAt(T0).endsAt(FAR).build(),
                Alert.builder().label("alertname", "DatabaseDown").label("service", "orders-db").label("severity", "critical")
                        .startsAt(at(s(10))).endsAt(FAR).build(),
                alert("HighLatency", "checkout", "pod-1", s(20)));
        List<Notification> sent = t.advanceTo(s(30));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).incidents().get(0).root().name()).isEqualTo("DatabaseDown");
        assertThat(sent.get(0).incidents().get(0).symptoms()).extracting(Alert::name).containsExactly("HighLatency");
    }

    @Test
    void cyclesAreRejectedNamingTheCycle() {
        assertThatThrownBy(() -> DependencyGraph.builder().dependsOn("a", "b").dependsOn("b", "c").dependsOn("c", "a").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("dependency cycle: a → b → c → a");
        assertThatThrownBy(() -> DependencyGraph.builder().dependsOn("x", "x").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("dependency cycle: x → x");
        assertThatThrownBy(() -> DependencyGraph.builder().dependsOn("checkout", "orders", "cache")
                .dependsOn("orders", "orders-db").dependsOn("orders-db", "storage").dependsOn("storage", "orders").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("dependency cycle: orders → orders-db → storage → orders");
        DependencyGraph diamond = DependencyGraph.builder().dependsOn("checkout", "orders", "payments")
                .dependsOn("orders", "db").dependsOn("payments", "db").build();
        assertThat(diamond.dependenciesOf("checkout")).containsExactlyInAnyOrder("orders", "payments", "db");
        assertThat(diamond.dependenciesOf("db")).isEmpty();
    }
}
