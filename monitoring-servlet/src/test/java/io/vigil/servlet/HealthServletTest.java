package io.vigil.servlet;

import io.vigil.core.health.HealthReport;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthSource;
import io.vigil.core.health.HealthStatus;
import jakarta.servlet.http.HttpServlet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The health endpoints on a real Jetty, over a stub {@link HealthSource}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthServletTest {

    /** Checks: ping UP, db UP (with details), disk DOWN. Groups: liveness, readiness, startup, critical. */
    static final class StubHealth implements HealthSource {
        private final Map<String, HealthResult> checks = new LinkedHashMap<>();
        private final Map<String, HealthReport> groups = new LinkedHashMap<>();

        StubHealth() {
            checks.put("ping", HealthResult.up());
            checks.put("db", HealthResult.builder(HealthStatus.UP).detail("latencyMs", 3)
                    .detail("url", "jdbc:h2:mem:x").build());
            checks.put("disk", HealthResult.builder(HealthStatus.DOWN).detail("freeBytes", 10L).build());
            groups.put(LIVENESS, report("ping"));
            groups.put(READINESS, report("db", "disk"));
            groups.put(STARTUP, report("ping", "db"));
            groups.put("critical", report("db"));
        }

        private HealthReport report(String... names) {
            Map<String, HealthResult> components = new LinkedHashMap<>();
            HealthStatus status = HealthStatus.UNKNOWN;
            for (String name : names) {
                components.put(name, checks.get(name));
                status = status.worst(checks.get(name).status());
            }
            return new HealthReport(status, components);
        }

        @Override
        public HealthReport health() {
            return report(checks.keySet().toArray(new String[0]));
        }

        @Override
        public Optional<HealthReport> group(String group) {
            return Optional.ofNullable(groups.get(group));
        }

        @Override
        public Optional<HealthResult> check(String name) {
            return Optional.ofNullable(checks.get(name));
        }
    }

    /** Stands in for container authentication: {@code X-Test-User: name[:role]} becomes the principal. */
    static final class TestLogin implements jakarta.servlet.Filter {
        @Override
        public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response,
                jakarta.servlet.FilterChain chain) throws java.io.IOException, jakarta.servlet.ServletException {
            String user = ((jakarta.servlet.http.HttpServletRequest) request).getHeader("X-Test-User");
            if (user == null) {
                chain.doFilter(request, response);
                return;
            }
            String[] parts = user.split(":");
            chain.doFilter(new jakarta.servlet.http.HttpServletRequestWrapper(
                    (jakarta.servlet.http.HttpServletRequest) request) {
                @Override
                public java.security.Principal getUserPrincipal() {
                    return () -> parts[0];
                }

                @Override
                public boolean isUserInRole(String role) {
                    return parts.length > 1 && parts[1].equals(role);
                }
            }, response);
        }
    }

    private ServletContainer.Running server;
    private Http http;

    @BeforeAll
    void start() throws Exception {
        StubHealth health = new StubHealth();
        Map<String, HttpServlet> servlets = new LinkedHashMap<>();
        servlets.put("/health/*", HealthServlet.builder(health).build());
        servlets.put("/open/*", HealthServlet.builder(health).showDetails(HealthServlet.ShowDetails.ALWAYS).build());
        servlets.put("/guarded/*", HealthServlet.builder(health)
                .showDetails(HealthServlet.ShowDetails.WHEN_AUTHORIZED).detailsToken("ops-token").build());
        servlets.put("/ops/*", HealthServlet.builder(health)
                .showDetails(HealthServlet.ShowDetails.WHEN_AUTHORIZED).detailsRole("ops").build());
        server = new JettyContainer().start(servlets, new TestLogin());
        http = new Http(server.base());
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<String> get(String path, String... headers) {
        HttpResponse<String> response = http.get(path, headers);
        if (response.statusCode() != 404 && response.statusCode() != 405) {
            assertThat(response.headers().firstValue("Content-Type")).get().asString()
                    .startsWith("application/json");
        }
        return response;
    }

    @Test
    void overallHealthIs503WhenAnyCheckIsDownAndHidesDetailsByDefault() {
        HttpResponse<String> response = get("/health");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("{\"status\":\"DOWN\"}");
        assertThat(get("/health/").body()).isEqualTo("{\"status\":\"DOWN\"}");
    }

    @Test
    void probesMapToTheirGroups() {
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/health/live").body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        assertThat(get("/health/ready").body()).isEqualTo("{\"status\":\"DOWN\"}");
        assertThat(get("/health/started").statusCode()).isEqualTo(200);
    }

    @Test
    void aNameIsAGroupOrACheckElse404() {
        assertThat(get("/health/critical").statusCode()).isEqualTo(200);
        assertThat(get("/health/db").statusCode()).isEqualTo(200);
        assertThat(get("/health/db").body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(get("/health/disk").statusCode()).isEqualTo(503);
        assertThat(get("/health/nope").statusCode()).isEqualTo(404);
        assertThat(get("/health/db/extra").statusCode()).isEqualTo(404);
    }

    @Test
    void detailsInActuatorShapeWhenShown() {
        assertThat(get("/open").body()).isEqualTo("{\"status\":\"DOWN\",\"components\":{"
                + "\"ping\":{\"status\":\"UP\"},"
                + "\"db\":{\"status\":\"UP\",\"details\":{\"latencyMs\":3,\"url\":\"jdbc:h2:mem:x\"}},"
                + "\"disk\":{\"status\":\"DOWN\",\"details\":{\"freeBytes\":10}}}}");
        assertThat(get("/open/db").body())
                .isEqualTo("{\"status\":\"UP\",\"details\":{\"latencyMs\":3,\"url\":\"jdbc:h2:mem:x\"}}");
        assertThat(get("/open/live").body()).isEqualTo("{\"status\":\"UP\",\"components\":{\"ping\":{\"status\":\"UP\"}}}");
    }

    @Test
    void detailsOnlyForAuthorizedRequestsWhenSoConfigured() {
        assertThat(get("/guarded").body()).isEqualTo("{\"status\":\"DOWN\"}");
        assertThat(get("/guarded", "Authorization", "Bearer wrong").body()).isEqualTo("{\"status\":\"DOWN\"}");
        HttpResponse<String> authorized = get("/guarded", "Authorization", "Bearer ops-token");
        assertThat(authorized.statusCode()).isEqualTo(503);
        assertThat(authorized.body()).contains("\"components\":{", "\"latencyMs\":3");
    }

    @Test
    void detailsForAnAuthenticatedPrincipalInTheRole() {
        assertThat(get("/guarded", "X-Test-User", "alice").body()).contains("\"components\":{");
        assertThat(get("/ops", "X-Test-User", "alice").body()).isEqualTo("{\"status\":\"DOWN\"}");
        assertThat(get("/ops", "X-Test-User", "bob:ops").body()).contains("\"components\":{");
        assertThat(get("/open", "X-Test-User", "alice").body()).contains("\"components\":{");
        assertThat(get("/health", "X-Test-User", "bob:ops").body()).isEqualTo("{\"status\":\"DOWN\"}");
    }

    @Test
    void answersOnlyGetAndHead() {
        HttpResponse<String> post = http.send("POST", "/health", HttpRequest.BodyPublishers.noBody());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        HttpResponse<String> head = http.send("HEAD", "/health/live", HttpRequest.BodyPublishers.noBody());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void noArgConstructorReadsTheSourceFromTheServletContext() throws Exception {
        org.eclipse.jetty.server.Server jetty = new org.eclipse.jetty.server.Server();
        try {
            org.eclipse.jetty.server.ServerConnector connector = new org.eclipse.jetty.server.ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            jetty.addConnector(connector);
            org.eclipse.jetty.ee10.servlet.ServletContextHandler context =
                    new org.eclipse.jetty.ee10.servlet.ServletContextHandler("/");
            context.setAttribute(HealthServlet.SOURCE_ATTRIBUTE, new StubHealth());
            org.eclipse.jetty.ee10.servlet.ServletHolder holder =
                    new org.eclipse.jetty.ee10.servlet.ServletHolder(HealthServlet.class); // as web.xml names it
            holder.setInitParameter("show-details", "always");
            context.addServlet(holder, "/health/*");
            jetty.setHandler(context);
            jetty.start();
            Http web = new Http(java.net.URI.create("http://127.0.0.1:" + connector.getLocalPort()));
            HttpResponse<String> live = web.get("/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body()).isEqualTo("{\"status\":\"UP\",\"components\":{\"ping\":{\"status\":\"UP\"}}}");
        } finally {
            jetty.stop();
        }
    }

    @Test
    void tokenAndRoleNeedWhenAuthorized() {
        assertThatThrownBy(() -> HealthServlet.builder(new StubHealth()).detailsToken("t").build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> HealthServlet.builder(new StubHealth()).detailsRole(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
