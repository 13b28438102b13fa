package io.vigil.servlet;

import io.vigil.core.health.HealthJson;
import io.vigil.core.health.HealthReport;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthSource;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Health endpoints in Spring Boot Actuator's JSON shape, for Kubernetes probes and people. Map it to
 * {@code /health/*}:
 * <ul>
 * <li>{@code /health} — every check; 200 when serving (UP, DEGRADED, UNKNOWN), 503 otherwise;</li>
 * <li>{@code /health/live}, {@code /health/ready}, {@code /health/started} — the liveness, readiness and
 * startup groups;</li>
 * <li>{@code /health/{name}} — a group of that name, else a check of that name, else 404.</li>
 * </ul>
 * Only the status is shown unless details are enabled: always, or for an authenticated request (a container
 * principal, optionally in a role, or a bearer token compared in constant time).
 *
 * <p>In {@code web.xml}, {@code new HealthServlet()} reads the {@link HealthSource} from the servlet context
 * attribute {@link #SOURCE_ATTRIBUTE}, else the first one {@link ServiceLoader} finds; init parameter
 * {@code show-details} takes {@code never}, {@code always} or {@code when-authorized}.
 */
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The servlet context attribute a {@code web.xml} deployment puts its {@link HealthSource} under. */
    public static final String SOURCE_ATTRIBUTE = HealthSource.class.getName();

    /** Who sees each check's status and details. */
    public enum ShowDetails {
        /** Only the overall status (the default: details can reveal hosts and versions). */
        NEVER,
        /** Everyone. */
        ALWAYS,
        /** Requests with a principal (in the role, if one is set) or the details token. */
        WHEN_AUTHORIZED
    }

    private static final String JSON = "application/json";

    private transient volatile HealthSource source;
    private volatile ShowDetails showDetails;
    private final String role;
    private final transient Credentials detailsToken;

    /** For {@code web.xml}: see the class comment for how the source is found. */
    public HealthServlet() {
        this.source = null;
        this.showDetails = null;
        this.role = null;
        this.detailsToken = null;
    }

    private HealthServlet(Builder builder) {
        this.source = builder.source;
        this.showDetails = builder.showDetails;
        this.role = builder.role;
        this.detailsToken = builder.detailsToken;
    }

    public static Builder builder(HealthSource source) {
        return new Builder(source);
    }

    @Override
    public void init() throws ServletException {
        if (showDetails == null) {
            String configured = getInitParameter("show-details");
            try {
                showDetails = configured == null ? ShowDetails.NEVER
                        : ShowDetails.valueOf(configured.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new ServletException("show-details must be never, always or when-authorized, was "
                        + configured, e);
            }
        }
        if (source == null) {
            Object attribute = getServletContext().getAttribute(SOURCE_ATTRIBUTE);
            if (attribute instanceof HealthSource) {
                source = (HealthSource) attribute;
            } else {
                Iterator<HealthSource> found = ServiceLoader.load(HealthSource.class).iterator();
                if (!found.hasNext()) {
                    throw new ServletException("HealthServlet found no HealthSource: set the servlet context"
                            + " attribute " + SOURCE_ATTRIBUTE + ", register one with ServiceLoader, or use"
                            + " HealthServlet.builder()");
                }
                source = found.next();
            }
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            response.setHeader("Allow", "GET, HEAD");
            response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        HealthSource health = source;
        if (health == null) {
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE); // init() has not run
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        String name = name(request);
        boolean details = showDetails(request);
        int status;
        String json;
        if (name == null) {
            HealthReport report = health.health();
            status = report.status().httpStatus();
            json = HealthJson.actuator(report, details);
        } else {
            Optional<HealthReport> group = health.group(group(name));
            if (group.isPresent()) {
                status = group.get().status().httpStatus();
                json = HealthJson.actuator(group.get(), details);
            } else {
                Optional<HealthResult> check = health.check(name);
                if (check.isEmpty()) {
                    response.setStatus(HttpServletResponse.SC_NOT_FOUND);
                    return;
                }
                status = check.get().status().httpStatus();
                json = HealthJson.actuator(check.get(), details);
            }
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(JSON);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        if (!head) {
            response.getOutputStream().write(body);
        }
    }

    /** The part after the servlet path: null for the whole report, else one name (no nested paths). */
    private static String name(HttpServletRequest request) {
        String path = request.getPathInfo();
        if (path == null || path.equals("/") || path.isEmpty()) {
            return null;
        }
        String name = path.startsWith("/") ? path.substring(1) : path;
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }

    /** The Kubernetes probe paths name the groups after the probes. */
    private static String group(String name) {
        switch (name) {
            case "live":
                return HealthSource.LIVENESS;
            case "ready":
                return HealthSource.READINESS;
            case "started":
                return HealthSource.STARTUP;
            default:
                return name;
        }
    }

    private boolean showDetails(HttpServletRequest request) {
        ShowDetails mode = showDetails == null ? ShowDetails.NEVER : showDetails;
        switch (mode) {
            case ALWAYS:
                return true;
            case WHEN_AUTHORIZED:
                if (detailsToken != null && detailsToken.matches(request.getHeader("Authorization"))) {
                    return true;
                }
                return request.getUserPrincipal() != null && (role == null || request.isUserInRole(role));
            default:
                return false;
        }
    }

    /** Configuration of a {@link HealthServlet}. */
    public static final class Builder {
        private final HealthSource source;
        private ShowDetails showDetails = ShowDetails.NEVER;
        private String role;
        private Credentials detailsToken;

        private Builder(HealthSource source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        public Builder showDetails(ShowDetails mode) {
            this.showDetails = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** With {@link ShowDetails#WHEN_AUTHORIZED}: the principal must also be in this role. */
        public Builder detailsRole(String role) {
            if (role == null || role.isBlank()) {
                throw new IllegalArgumentException("The details role must not be blank");
            }
            this.role = role;
            return this;
        }

        /** With {@link ShowDetails#WHEN_AUTHORIZED}: {@code Authorization: Bearer <token>} also shows details. */
        public Builder detailsToken(String token) {
            this.detailsToken = Credentials.bearer(token);
            return this;
        }

        public HealthServlet build() {
            if (showDetails != ShowDetails.WHEN_AUTHORIZED && (role != null || detailsToken != null)) {
                throw new IllegalStateException("detailsRole and detailsToken need showDetails(WHEN_AUTHORIZED)");
            }
            return new HealthServlet(this);
        }
    }
}
