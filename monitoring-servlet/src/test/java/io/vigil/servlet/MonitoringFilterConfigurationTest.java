package io.vigil.servlet;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.testkit.PrometheusScrape;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fail-safety, the web.xml path (no-arg constructor + init parameters) and configuration-time validation. */
class MonitoringFilterConfigurationTest {

    @Test
    void vigilsOwnFailuresNeverReachTheApplication() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Registering the request timer or resolving the principal blows up inside Vigil.
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().equals("http.server.requests")) {
                    throw new IllegalStateException("broken registry");
                }
                return id;
            }
        });
        MonitoringFilter filter = MonitoringFilter.builder(registry).principal(request -> {
            throw new IllegalStateException("broken resolver");
        }).build();
        try (ScenarioApp app = new ScenarioApp()) {
            ServletContainer.Running server = new JettyContainer().start(app.servlets(), filter);
            try {
                Http http = new Http(server.base());
                HttpResponse<String> ok = http.get("/hello");
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(ok.body()).isEqualTo("hello");
                HttpResponse<String> failing = http.get("/fail");
                assertThat(failing.statusCode()).isEqualTo(500); // the app's own exception still surfaces
                org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(PrometheusScrape
                        .parse(registry.scrape())
                        .value("vigil_internal_errors_total", "component", "servlet.filter")).isEqualTo(2));
            } finally {
                server.close();
            }
        }
    }

    @Test
    void noArgConstructorUsesTheGlobalRegistryAndInitParameters() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics.addRegistry(registry);
        Server server = new Server();
        try (ScenarioApp app = new ScenarioApp()) {
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            app.servlets().forEach((mapping, servlet) -> context.addServlet(new ServletHolder(servlet), mapping));
            // as web.xml would declare it: by class name, with init parameters
            FilterHolder holder = new FilterHolder(MonitoringFilter.class);
            holder.setInitParameter("exclude", "/hello, /status/**");
            holder.setInitParameter("percentile-histogram", "false");
            holder.setInitParameter("route-attributes", "my.route");
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
            server.setHandler(context);
            server.start();
            Http http = new Http(URI.create("http://127.0.0.1:" + connector.getLocalPort()));
            http.get("/hello");
            http.get("/status/401");
            http.get("/echo/abc");
            org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(PrometheusScrape
                    .parse(registry.scrape()).sum("http_server_requests_seconds_count")).isEqualTo(1));
            PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
            assertThat(scrape.labelValues("http_server_requests_seconds_count", "uri")).containsExactly("/echo/*");
            assertThat(scrape.has("http_server_requests_seconds_bucket")).isFalse();
        } finally {
            server.stop();
            Metrics.removeRegistry(registry);
        }
    }

    @Test
    void badConfigurationFailsAtBuildTime() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MonitoringFilter.Builder builder = MonitoringFilter.builder(registry);
        assertThatThrownBy(() -> builder.exclude("metrics")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.exclude("/a/*/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.percentiles(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.serviceLevelObjectives(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.expectedRange(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.routeAttributes(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.pathTemplates("/exact")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.pathTemplates("orders/*")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.pathTemplates("*.")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.histogram(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> MonitoringFilter.builder(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void sloBucketsAndPercentilesAreConfigurable() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MonitoringFilter filter = MonitoringFilter.builder(registry).publishPercentileHistogram(false)
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(500)).build();
        try (ScenarioApp app = new ScenarioApp()) {
            ServletContainer.Running server = new JettyContainer().start(app.servlets(), filter);
            try {
                new Http(server.base()).get("/hello");
                org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(PrometheusScrape
                        .parse(registry.scrape()).sum("http_server_requests_seconds_count")).isEqualTo(1));
                PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
                assertThat(scrape.labelValues("http_server_requests_seconds_bucket", "le"))
                        .containsExactlyInAnyOrder("0.1", "0.5", "+Inf");
            } finally {
                server.close();
            }
        }
    }

    @Test
    void theHistogramIsCompactByDefaultAndMicrometersFullOneOnRequest() throws Exception {
        Map<MonitoringFilter.Histogram, Integer> boundaries = new java.util.EnumMap<>(MonitoringFilter.Histogram.class);
        for (MonitoringFilter.Histogram layout : MonitoringFilter.Histogram.values()) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            MonitoringFilter filter = MonitoringFilter.builder(registry).histogram(layout)
                    .serviceLevelObjectives(Duration.ofMillis(300)).build();
            try (ScenarioApp app = new ScenarioApp()) {
                ServletContainer.Running server = new JettyContainer().start(app.servlets(), filter);
                try {
                    new Http(server.base()).get("/hello");
                    org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(PrometheusScrape
                            .parse(registry.scrape()).sum("http_server_requests_seconds_count")).isEqualTo(1));
                    PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
                    java.util.Set<String> le = scrape.labelValues("http_server_requests_seconds_bucket", "le");
                    assertThat(le).as("%s", layout).contains("0.3", "+Inf");
                    boundaries.put(layout, le.size());
                    if (layout == MonitoringFilter.Histogram.COMPACT) {
                        assertThat(le).containsExactlyInAnyOrder("0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
                                "0.3", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf");
                    }
                } finally {
                    server.close();
                }
            }
        }
        assertThat(boundaries.get(MonitoringFilter.Histogram.NONE)).isEqualTo(2);
        assertThat(boundaries.get(MonitoringFilter.Histogram.COMPACT)).isEqualTo(11 + 1 + 1);
        assertThat(boundaries.get(MonitoringFilter.Histogram.PERCENTILE)).isGreaterThan(60);
    }

    @Test
    void requestsInFlightArePublishedOnlyWhenAskedFor() throws Exception {
        for (boolean enabled : new boolean[] {false, true}) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            MonitoringFilter.Builder builder = MonitoringFilter.builder(registry);
            MonitoringFilter filter = (enabled ? builder.activeRequests(true) : builder).build();
            try (ScenarioApp app = new ScenarioApp()) {
                ServletContainer.Running server = new JettyContainer().start(app.servlets(), filter);
                try {
                    new Http(server.base()).get("/hello");
                    org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(PrometheusScrape
                            .parse(registry.scrape()).sum("http_server_requests_seconds_count")).isEqualTo(1));
                    PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
                    assertThat(scrape.has("http_server_requests_active_seconds_count")).as("enabled=%s", enabled)
                            .isEqualTo(enabled);
                } finally {
                    server.close();
                }
            }
        }
    }
}
