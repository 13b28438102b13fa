package io.vigil.core.alert;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.vigil.core.alert.Timeline.T0;
import static io.vigil.core.alert.Timeline.m;
import static io.vigil.core.alert.Timeline.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The routing tree as Alertmanager's {@code dispatch/route.go}: depth-first, {@code continue}, inheritance. */
class RoutingTest {

    private static final Instant FAR = T0.plus(Duration.ofDays(30));

    /*
     * root: receiver default, group_by [alertname]
     *   ├─ team="db", receiver db-team, group_wait 10s, continue
     *   │    └─ severity="page", receiver db-pager            (inherits group_wait 10s and group_by)
     *   ├─ team=~"db|web", receiver web-team, group_by [...]
     *   └─ severity="page", receiver catch-page, group_by [], repeat_interval 1h
     */
    private static Route tree() {
        return Route.builder().receiver("default").groupBy("alertname")
                .route(Route.builder().matchers("team=\"db\"").receiver("db-team").groupWait(s(10)).continueMatching(true)
                        .route(Route.builder().matchers("severity=\"page\"").receiver("db-pager").build())
                        .build())
                .route(Route.builder().matchers("team=~\"db|web\"").receiver("web-team").groupBy("...").build())
                .route(Route.builder().matchers("severity=page").receiver("catch-page").groupBy().repeatInterval(Duration.ofHours(1)).build())
                .build();
    }

    private static Alert alert(String... pairs) {
        Alert.Builder b = Alert.builder().startsAt(T0).endsAt(FAR);
        for (int i = 0; i < pairs.length; i += 2) {
            b.label(pairs[i], pairs[i + 1]);
        }
        return b.build();
    }

    private static List<String> receivers(Alert alert) {
        return RouteNode.root(tree()).match(alert.labels()).stream().map(n -> n.receiver).toList();
    }

    @Test
    void depthFirstWithContinue() {
        assertThat(receivers(alert("alertname", "X", "team", "db", "severity", "page"))).containsExactly("db-pager", "web-team");
        assertThat(receivers(alert("alertname", "X", "team", "db", "severity", "ticket"))).containsExactly("db-team", "web-team");
        assertThat(receivers(alert("alertname", "X", "team", "web", "severity", "page")))
                .as("web-team matched without continue: catch-page is not tried").containsExactly("web-team");
        assertThat(receivers(alert("alertname", "X", "team", "ops", "severity", "page"))).containsExactly("catch-page");
        assertThat(receivers(alert("alertname", "X", "team", "ops"))).containsExactly("default");
    }

    @Test
    void optionsAreInheritedAndGroupKeysFollowTheTree() {
        RouteNode root = RouteNode.root(tree());
        RouteNode dbPager = root.children.get(0).children.get(0);
        assertThat(dbPager.groupWait).isEqualTo(s(10));
        assertThat(dbPager.groupInterval).isEqualTo(m(5));
        assertThat(dbPager.repeatInterval).isEqualTo(Duration.ofHours(4));
        assertThat(dbPager.groupBy).containsExactly("alertname");
        assertThat(root.children.get(2).repeatInterval).isEqualTo(Duration.ofHours(1));

        Timeline t = new Timeline(CorrelationEngine.builder(tree()).build());
        t.receive(alert("alertname", "X", "team", "db", "severity", "page"));
        List<Notification> at10s = t.advanceTo(s(10));
        assertThat(at10s).extracting(Notification::receiver).containsExactly("db-pager");
        assertThat(at10s.get(0).groupKey()).isEqualTo("{}/{team=\"db\"}/{severity=\"page\"}:{alertname=\"X\"}");
        List<Notification> at30s = t.advanceTo(s(30));
        assertThat(at30s).extracting(Notification::receiver).containsExactly("web-team");
        assertThat(at30s.get(0).groupKey())
                .isEqualTo("{}/{team=~\"db|web\"}:{alertname=\"X\", severity=\"page\", team=\"db\"}");
        assertThat(at30s.get(0).groupLabels()).containsOnlyKeys("alertname", "severity", "team");
    }

    @Test
    void groupByDecidesWhoSharesANotification() {
        Timeline t = new Timeline(CorrelationEngine.builder(tree()).build());
        // catch-page has group_by [] : every alert on that route shares one group {}.
        t.receive(alert("alertname", "A", "team", "ops", "severity", "page"),
                alert("alertname", "B", "team", "sec", "severity", "page"),
                // default route groups by alertname: two groups.
                alert("alertname", "C", "instance", "1"), alert("alertname", "C", "instance", "2"),
                alert("alertname", "D"));
        List<Notification> sent = t.advanceTo(s(30));
        assertThat(sent).extracting(Notification::groupKey).containsExactlyInAnyOrder(
                "{}/{severity=\"page\"}:{}", "{}:{alertname=\"C\"}", "{}:{alertname=\"D\"}");
        Notification page = sent.stream().filter(n -> n.receiver().equals("catch-page")).findFirst().orElseThrow();
        assertThat(page.firing()).extracting(Alert::name).containsExactly("A", "B");
        Notification c = sent.stream().filter(n -> n.groupKey().contains("\"C\"")).findFirst().orElseThrow();
        assertThat(c.firing()).hasSize(2);
    }

    @Test
    void routeMatchersAreSortedInTheKeyAsAlertmanagerSortsThem() {
        RouteNode root = RouteNode.root(Route.builder().receiver("r")
                .route(Route.builder().matchers("{severity=~\"crit.*\", service=\"orders-db\"}").build()).build());
        assertThat(root.children.get(0).key).isEqualTo("{}/{service=\"orders-db\",severity=~\"crit.*\"}");
        assertThat(root.children.get(0).receiver).as("inherited from the root").isEqualTo("r");
    }

    @Test
    void badTreesAreRejectedAtConfiguration() {
        assertThatThrownBy(() -> CorrelationEngine.builder(Route.builder().build()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("root route must specify a default receiver");
        assertThatThrownBy(() -> CorrelationEngine.builder(Route.builder().receiver("r").matchers("a=b").build()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("root route must not have any matchers");
        assertThatThrownBy(() -> CorrelationEngine.builder(Route.builder().receiver("r").continueMatching(true).build()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cannot have continue in root route");
        assertThatThrownBy(() -> Route.builder().groupBy("...", "alertname"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wildcard group_by");
        assertThatThrownBy(() -> Route.builder().groupInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group_interval");
        assertThatThrownBy(() -> Route.builder().matchers("bad-name=x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bad matcher format: bad-name=x");
    }
}
