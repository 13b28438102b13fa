package io.vigil.core.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.cardinality.CardinalityGuard;
import io.vigil.core.cardinality.CardinalityLimits;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApplicationMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void countsLoginsByResult() {
        ApplicationMetrics app = ApplicationMetrics.register(registry);
        app.login(LoginResult.SUCCESS);
        app.login(LoginResult.FAILURE);
        app.login(LoginResult.FAILURE);
        app.login(null);

        PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
        assertThat(scrape.value("security_login_attempts_total", "result", "success")).isEqualTo(1);
        assertThat(scrape.value("security_login_attempts_total", "result", "failure")).isEqualTo(2);
        assertThat(scrape.value("security_login_attempts_total", "result", "blocked")).isZero();
    }

    @Test
    void businessEventNamesAreCappedSoIdsCannotExplodeTheSeries() {
        CardinalityGuard guard = CardinalityGuard.create(registry,
                CardinalityLimits.builder().tag(MetricCatalog.BUSINESS_EVENTS, "event", 3).build());
        ApplicationMetrics app = ApplicationMetrics.register(registry, guard, ActiveUsers.register(registry));
        app.event("order.placed");
        app.event("order.placed");
        app.event("order.shipped");
        app.event(null);
        for (int i = 0; i < 50; i++) {
            app.event("order." + i); // a bug: ids in event names
        }

        PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
        assertThat(scrape.value("business_events_total", "event", "order.placed")).isEqualTo(2);
        assertThat(scrape.value("business_events_total", "event", "order.shipped")).isEqualTo(1);
        assertThat(scrape.value("business_events_total", "event", "none")).isEqualTo(1);
        assertThat(scrape.value("business_events_total", "event", "OTHER")).isEqualTo(50);
        assertThat(scrape.series("business_events_total")).hasSize(4);
        assertThat(scrape.value("vigil_cardinality_overflow_total", "meter", "business.events")).isEqualTo(50);
    }

    @Test
    void sharesTheActiveUsersAnAdapterAlreadyPublished() {
        ActiveUsers filters = ActiveUsers.register(registry); // e.g. the servlet filter's default
        ApplicationMetrics app = ApplicationMetrics.register(registry);
        app.userSeen("u1");
        assertThat(app.activeUsers()).isSameAs(filters);
        assertThat(PrometheusScrape.parse(registry.scrape()).value("users_active", "window", "1h")).isEqualTo(1);
    }

    @Test
    void usersSeenFeedTheActiveUsersGauge() {
        ApplicationMetrics app = ApplicationMetrics.register(registry);
        app.userSeen("u1");
        app.userSeen("u2");
        app.userSeen("u1");
        assertThat(PrometheusScrape.parse(registry.scrape()).value("users_active", "window", "5m")).isEqualTo(2);
        assertThat(app.activeUsers().estimate("1h")).isEqualTo(2);
    }
}
