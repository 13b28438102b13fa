package io.vigil.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.vigil.core.alert.CorrelationEngine;
import io.vigil.core.alert.Notification;
import io.vigil.core.alert.Route;
import io.vigil.core.health.HealthSource;
import io.vigil.core.internal.InternalErrors;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The subset of Alertmanager's HTTP API v2 that Prometheus, {@code amtool} and Grafana use, over a
 * {@link CorrelationEngine}, plus Vigil's incident endpoints. Mount it under any path:
 *
 * <pre>{@code
 * AlertsServlet api = AlertsServlet.builder(engine).route(route).writeToken(System.getenv("VIGIL_API_TOKEN")).build();
 * context.addServlet(new ServletHolder(api), "/alertmanager/*");
 * // Prometheus: alerting.alertmanagers[].path_prefix: /alertmanager ; amtool --alertmanager.url=http://host/alertmanager
 * }</pre>
 *
 * <p>Endpoints: {@code GET|POST /api/v2/alerts}, {@code GET /api/v2/alerts/groups}, {@code GET|POST /api/v2/silences},
 * {@code GET|DELETE /api/v2/silence/{id}}, {@code GET /api/v2/status}, {@code GET /api/v2/receivers},
 * {@code GET /api/vigil/incidents}, {@code GET /api/vigil/incidents/{id}}, {@code POST /api/vigil/incidents/{id}/ack},
 * and at the mount's root ({@code GET /}) a status page in HTML ({@link StatusPage}: health checks when
 * {@link Builder#health} is given, incidents with an acknowledge button, firing alerts).
 * JSON shapes and status codes are Alertmanager 0.25's; where Vigil differs (a whole batch refused for one bad
 * alert, 404 instead of 500 for deleting an unknown silence) the module README says so.
 *
 * <p>With {@link Builder#alertManager} the servlet also drives the engine: every {@code tickInterval} it calls
 * {@link CorrelationEngine#tick} and hands the notifications to the {@link AlertManager} (keeping a log per
 * incident for the incident endpoints). Without it, whoever owns the engine ticks it.
 */
public final class AlertsServlet extends HttpServlet {

    /** How much of an oversized body without a length is read and dropped so its sender can read the 413. */
    private static final long DISCARD_LIMIT = 16L << 20;

    private static final long serialVersionUID = 1L;

    private final transient CorrelationEngine engine;
    private final transient ApiRequests requests;
    private final transient ObjectReader reader;
    private final transient ApiLimits limits;
    private final transient byte[] writeToken;
    private final transient byte[] readToken;
    private final transient Clock clock;
    private final transient AlertManager manager;
    private final transient IncidentLog incidentLog;
    private final transient Duration tickInterval;
    private final transient InternalErrors errors;
    private final transient StatusPage statusPage;
    private final transient boolean managerTicks;
    private transient ScheduledExecutorService ticker;

    private AlertsServlet(Builder b) {
        this.engine = b.engine;
        this.limits = new ApiLimits(b.maxBodyBytes, b.maxAlertsPerRequest, b.maxLabelsPerAlert, b.maxLabelLength,
                ApiLimits.DEFAULTS.maxAnnotationLength(), ApiLimits.DEFAULTS.maxFilters());
        this.writeToken = digest(b.writeToken);
        this.readToken = digest(b.readToken);
        this.clock = b.clock;
        this.manager = b.manager;
        this.tickInterval = b.tickInterval;
        this.errors = InternalErrors.forComponent(b.registry, "alerts.api");
        this.incidentLog = new IncidentLog(10_000);
        this.reader = ApiJson.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        String version = AlertsServlet.class.getPackage().getImplementationVersion();
        ApiIncidents incidents = new ApiIncidents(engine, manager, incidentLog);
        this.requests = new ApiRequests(engine, limits, b.receivers, b.configText, clock.instant(),
                version == null ? "dev" : version, incidents,
                manager == null ? silence -> { } : manager::saveSilence,
                manager == null ? () -> ClusterStatus.DISABLED : manager::clusterStatus);
        this.statusPage = new StatusPage(engine, incidents, b.health, writeToken != null);
        this.managerTicks = b.managerTicks;
        if (managerTicks) {
            manager.onCorrelated(incidentLog::record);
        }
    }

    public static Builder builder(CorrelationEngine engine) {
        return new Builder(engine);
    }

    /**
     * The API over the correlation engine {@code manager} built from its {@code alertmanagerConfig}: alerts posted
     * here (by Prometheus) join those of an {@link AlertEngine} that sends to the same manager, receivers and
     * {@code config.original} come from that configuration, and the manager's control thread ticks the engine (the
     * servlet does not tick it again; it only keeps its per-incident log of what the engine emits).
     *
     * @throws IllegalArgumentException when {@code manager} was built without an {@code alertmanagerConfig}
     */
    public static Builder builder(AlertManager manager) {
        Objects.requireNonNull(manager, "manager");
        if (manager.correlation() == null) {
            throw new IllegalArgumentException("the alert manager has no alertmanagerConfig, hence no correlation "
                    + "engine to serve; use builder(CorrelationEngine)");
        }
        Builder builder = new Builder(manager.correlation()).alertManager(manager).route(manager.configRoute())
                .configText(manager.configText());
        builder.managerTicks = true;
        return builder;
    }

    @Override
    public void init() {
        if (manager != null && !managerTicks && !tickInterval.isZero()) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "vigil-alerts-api-tick");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(this::tick, 0, tickInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void destroy() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
    }

    /**
     * Ticks the engine once at the clock's now and hands what is due to the {@link AlertManager}; the servlet's
     * own thread does this every {@code tickInterval}. Never throws.
     */
    public void tick() {
        if (managerTicks) {
            manager.tick();   // the manager's own cycle ticks the engine (and the log sees it through onCorrelated)
            return;
        }
        try {
            if (manager != null) {
                manager.shareSilences(engine); // silences made through another node's API, on a shared store
            }
            for (Notification n : engine.tick(clock.instant())) {
                incidentLog.record(n);
                if (manager != null) {
                    manager.submit(n);
                }
            }
        } catch (RuntimeException e) {
            errors.record(e);
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String method = req.getMethod();
        String path = req.getPathInfo() != null ? req.getPathInfo() : req.getServletPath();
        if (req.getPathInfo() == null && req.getHttpServletMapping() != null
                && req.getHttpServletMapping().getMappingMatch() == jakarta.servlet.http.MappingMatch.PATH) {
            // Mounted at /alerts/* and asked for /alerts: the status page lives at /alerts/.
            resp.setStatus(301);
            resp.setHeader("Location", req.getContextPath() + req.getServletPath() + "/");
            resp.setContentLength(0);
            return;
        }
        if (StatusPage.isAcknowledgement(method, path)) {
            // A browser form cannot send the bearer header: the form proves itself (StatusPage says how).
            acknowledgeFromPage(req, resp);
            return;
        }
        ApiRequests.Response response;
        boolean newline = true;
        try {
            authorize(req, ApiRequests.isWrite(method));
            if (StatusPage.isPage(method, path)) {
                servePage(req, resp);
                return;
            }
            long declared = req.getContentLengthLong();
            if (declared > limits.maxBodyBytes()) {
                throw ApiError.plain(413, "request body larger than " + limits.maxBodyBytes() + " bytes");
            }
            Supplier<JsonNode> body = () -> readBody(req, path);
            response = requests.handle(method, path == null ? "/" : path, req.getParameterMap(), body, clock.instant());
        } catch (ApiError e) {
            response = new ApiRequests.Response(e.status(), e.body());
            newline = !e.coded();
            if (e.status() == 401) {
                resp.setHeader("WWW-Authenticate", "Bearer realm=\"vigil\"");
            }
        } catch (RuntimeException e) {
            errors.record(e);
            response = new ApiRequests.Response(500, ApiJson.MAPPER.getNodeFactory().textNode("internal error"));
        }
        resp.setStatus(response.status());
        if (response.body() != null) {
            byte[] json = ApiJson.MAPPER.writeValueAsBytes(response.body());
            // Alertmanager's JSON encoder ends each body with a newline (its error objects excepted).
            byte[] bytes = newline ? java.util.Arrays.copyOf(json, json.length + 1) : json;
            if (newline) {
                bytes[json.length] = '\n';
            }
            resp.setContentType("application/json");
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
        } else {
            resp.setContentLength(0);
        }
    }

    private void servePage(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String html = statusPage.render(clock.instant(), mountPath(req));
        writeHtml(resp, 200, html, StatusPage.CONTENT_SECURITY_POLICY, !req.getMethod().equals("HEAD"));
    }

    private void acknowledgeFromPage(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String base = mountPath(req);
        String id = req.getParameter("incident");
        try {
            if (!String.valueOf(req.getContentType()).startsWith("application/x-www-form-urlencoded")) {
                throw ApiError.plain(415, "the acknowledge form posts application/x-www-form-urlencoded");
            }
            // Browsers label every request; a form submitted from another site's page says cross-site.
            if ("cross-site".equals(req.getHeader("Sec-Fetch-Site")) || !statusPage.validFormToken(id,
                    req.getParameter("csrf"))) {
                throw ApiError.plain(403, "refused: this form did not come from the status page");
            }
            if (writeToken != null) {
                String field = req.getParameter("token");
                try {
                    authorize(req, true);
                } catch (ApiError noHeader) {
                    if (field == null || !MessageDigest.isEqual(digest(field), writeToken)) {
                        throw ApiError.plain(401, "refused: wrong or missing write token");
                    }
                }
            }
            String by = req.getParameter("by");
            JsonNode body = by == null || by.isBlank() ? null
                    : ApiJson.MAPPER.createObjectNode().put("by", by.strip());
            statusPage.acknowledge(id, body, clock.instant());
            // Post/Redirect/Get: reloading the page does not post the form again.
            resp.setStatus(303);
            resp.setHeader("Location", base + "/");
            resp.setContentLength(0);
        } catch (ApiError e) {
            String text = e.status() == 404 ? "That incident is no longer open." : e.body().asText(e.body().toString());
            writeHtml(resp, e.status(), StatusPage.message(text, base), "default-src 'none'", true);
        } catch (RuntimeException e) {
            errors.record(e);
            writeHtml(resp, 500, StatusPage.message("internal error", base), "default-src 'none'", true);
        }
    }

    private static String mountPath(HttpServletRequest req) {
        String base = req.getContextPath() + req.getServletPath();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static void writeHtml(HttpServletResponse resp, int status, String html, String policy, boolean body)
            throws IOException {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("text/html;charset=utf-8");
        resp.setHeader("Content-Security-Policy", policy);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(bytes.length);
        if (body) {
            resp.getOutputStream().write(bytes);
        }
    }

    private void authorize(HttpServletRequest req, boolean write) {
        byte[] required = write ? writeToken : readToken;
        if (required == null) {
            return;
        }
        String header = req.getHeader("Authorization");
        byte[] given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? digest(header.substring(7).trim()) : null;
        boolean ok = given != null && (MessageDigest.isEqual(given, required)
                || (!write && writeToken != null && MessageDigest.isEqual(given, writeToken)));
        if (!ok) {
            throw ApiError.plain(401, "unauthorized");
        }
    }

    /**
     * Reads and drops what is left of an oversized body without a length, up to {@link #DISCARD_LIMIT} bytes: a
     * client still sending when the container answers 413 and closes would otherwise get a reset instead of the
     * answer (the unread bytes make the kernel reset the connection). Nothing is kept; past the limit the
     * connection is simply closed.
     */
    private static void discardRest(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        long discarded = 0;
        int n;
        while (discarded < DISCARD_LIMIT && (n = in.read(buffer)) > 0) {
            discarded += n;
        }
    }

    private JsonNode readBody(HttpServletRequest req, String path) {
        byte[] bytes;
        try (InputStream in = req.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limits.maxBodyBytes(), 8192));
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + n > limits.maxBodyBytes()) {
                    discardRest(in);
                    throw ApiError.plain(413, "request body larger than " + limits.maxBodyBytes() + " bytes");
                }
                out.write(buffer, 0, n);
            }
            bytes = out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length == 0) {
            return null;
        }
        String what = path != null && path.contains("silence") ? "silence" : "alerts";
        try {
            return reader.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiError.unparseable(what, e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.unparseable(what, String.valueOf(e.getMessage()));
        }
    }

    /** A fixed-length digest, so comparing tokens takes the same time whatever their length and content. */
    private static byte[] digest(String token) {
        if (token == null) {
            return null;
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Configures an {@link AlertsServlet}; every option has a production default. */
    public static final class Builder {
        private final CorrelationEngine engine;
        private final List<String> receivers = new ArrayList<>();
        private String configText = "";
        private String writeToken;
        private String readToken;
        private int maxBodyBytes = ApiLimits.DEFAULTS.maxBodyBytes();
        private int maxAlertsPerRequest = ApiLimits.DEFAULTS.maxAlertsPerRequest();
        private int maxLabelsPerAlert = ApiLimits.DEFAULTS.maxLabelsPerAlert();
        private int maxLabelLength = ApiLimits.DEFAULTS.maxLabelLength();
        private Clock clock = Clock.systemUTC();
        private AlertManager manager;
        private Duration tickInterval = Duration.ofSeconds(1);
        private MeterRegistry registry = Metrics.globalRegistry;
        private HealthSource health;
        private boolean managerTicks;

        private Builder(CorrelationEngine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        /** The engine's route tree, so {@code GET /api/v2/receivers} lists every receiver it names. */
        public Builder route(Route route) {
            collect(Objects.requireNonNull(route, "route"));
            return this;
        }

        private void collect(Route route) {
            route.receiver().filter(r -> !receivers.contains(r)).ifPresent(receivers::add);
            route.routes().forEach(this::collect);
        }

        /** What {@code GET /api/v2/status} shows as {@code config.original} (e.g. the alertmanager.yml it came from). */
        public Builder configText(String text) {
            this.configText = Objects.requireNonNull(text, "text");
            return this;
        }

        /**
         * Requires {@code Authorization: Bearer <token>} on every write (POST, DELETE). Default none: like
         * Alertmanager, open to whoever reaches it.
         */
        public Builder writeToken(String token) {
            this.writeToken = token(token, "writeToken");
            return this;
        }

        /** Requires a bearer token on reads too: this one or the write token. Default none: reads are open. */
        public Builder readToken(String token) {
            this.readToken = token(token, "readToken");
            return this;
        }

        /** Largest request body; default 4 MiB. Larger ones get 413 and are not read. */
        public Builder maxBodyBytes(int bytes) {
            this.maxBodyBytes = atLeast(bytes, 1024, "maxBodyBytes");
            return this;
        }

        /** Alerts in one POST; default 1,000 (Prometheus sends at most 64 by default). */
        public Builder maxAlertsPerRequest(int count) {
            this.maxAlertsPerRequest = atLeast(count, 1, "maxAlertsPerRequest");
            return this;
        }

        /** Labels (and annotations) per alert, matchers per silence; default 128. */
        public Builder maxLabelsPerAlert(int count) {
            this.maxLabelsPerAlert = atLeast(count, 1, "maxLabelsPerAlert");
            return this;
        }

        /** Characters of a label name or value (and of a matcher or filter); default 1,024. */
        public Builder maxLabelLength(int length) {
            this.maxLabelLength = atLeast(length, 16, "maxLabelLength");
            return this;
        }

        /** Default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Hands the engine's notifications to {@code manager} (delivery, escalation, acknowledgement). */
        public Builder alertManager(AlertManager manager) {
            this.manager = Objects.requireNonNull(manager, "manager");
            return this;
        }

        /** How often the servlet ticks the engine when it has an {@link AlertManager}; default 1 s, zero: never
         *  (call {@link AlertsServlet#tick()}). */
        public Builder tickInterval(Duration interval) {
            if (interval == null || interval.isNegative()) {
                throw new IllegalArgumentException("tickInterval must be zero or positive: " + interval);
            }
            this.tickInterval = interval;
            return this;
        }

        /** Where {@code vigil.internal.errors{component="alerts.api"}} is counted; default Micrometer's global registry. */
        public Builder registry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Shows these health checks on the status page (e.g. {@code io.vigil.health.HealthRegistry}, which is one):
         * name, status, duration and when each ran; never their details. Default none: no health section.
         */
        public Builder health(HealthSource health) {
            this.health = Objects.requireNonNull(health, "health");
            return this;
        }

        public AlertsServlet build() {
            return new AlertsServlet(this);
        }

        private static String token(String token, String what) {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return token;
        }

        private static int atLeast(int value, int min, String what) {
            if (value < min) {
                throw new IllegalArgumentException(what + " must be at least " + min + ": " + value);
            }
            return value;
        }
    }
}
