package io.vigil.servlet;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.exposition.PrometheusExposition;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * The Prometheus scrape endpoint: OpenMetrics 1.0 when the scraper offers it (Prometheus does), else text
 * 0.0.4; gzip when accepted; optional bearer-token or basic auth compared in constant time; 405 for any
 * method but GET and HEAD.
 *
 * <p>In {@code web.xml}, {@code new MetricsServlet()} scrapes the {@link PrometheusMeterRegistry} found in
 * {@link Metrics#globalRegistry} (its first Prometheus registry) and takes no credentials; in code,
 * {@link #builder(PrometheusMeterRegistry)}.
 */
public final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private transient volatile PrometheusMeterRegistry registry;
    private final transient Credentials credentials;
    private final String challenge;
    private final boolean gzip;

    /** For {@code web.xml}: scrapes the Prometheus registry added to {@link Metrics#globalRegistry}. */
    public MetricsServlet() {
        this.registry = null;
        this.credentials = null;
        this.challenge = null;
        this.gzip = true;
    }

    private MetricsServlet(Builder builder) {
        this.registry = builder.registry;
        this.credentials = builder.credentials;
        this.challenge = builder.challenge;
        this.gzip = builder.gzip;
    }

    public static Builder builder(PrometheusMeterRegistry registry) {
        return new Builder(registry);
    }

    @Override
    public void init() throws ServletException {
        if (registry == null) {
            registry = findPrometheusRegistry(Metrics.globalRegistry);
            if (registry == null) {
                throw new ServletException("MetricsServlet found no PrometheusMeterRegistry in"
                        + " Metrics.globalRegistry; add one (Metrics.addRegistry) or use MetricsServlet.builder()");
            }
        }
    }

    static PrometheusMeterRegistry findPrometheusRegistry(CompositeMeterRegistry composite) {
        List<MeterRegistry> pending = new ArrayList<>(composite.getRegistries());
        while (!pending.isEmpty()) {
            MeterRegistry candidate = pending.remove(0);
            if (candidate instanceof PrometheusMeterRegistry) {
                return (PrometheusMeterRegistry) candidate;
            }
            if (candidate instanceof CompositeMeterRegistry) {
                pending.addAll(((CompositeMeterRegistry) candidate).getRegistries());
            }
        }
        return null;
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
        if (credentials != null && !credentials.matches(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", challenge);
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        PrometheusMeterRegistry scraped = registry;
        if (scraped == null) {
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE); // init() has not run
            return;
        }
        String accept = request.getHeader("Accept");
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(PrometheusExposition.negotiate(accept));
        response.setHeader("Cache-Control", "no-store");
        response.addHeader("Vary", "Accept, Accept-Encoding");
        if (head) {
            return;
        }
        if (gzip && acceptsGzip(request.getHeader("Accept-Encoding"))) {
            response.setHeader("Content-Encoding", "gzip");
            try (GZIPOutputStream out = new GZIPOutputStream(response.getOutputStream(), 8192)) {
                PrometheusExposition.write(scraped, accept, out);
            }
        } else {
            OutputStream out = response.getOutputStream();
            PrometheusExposition.write(scraped, accept, out);
            out.flush();
        }
    }

    /** Whether {@code Accept-Encoding} lists gzip (or {@code *}) with a non-zero quality. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.split(";");
            String name = parts[0].trim().toLowerCase(Locale.ROOT);
            if (!name.equals("gzip") && !name.equals("x-gzip") && !name.equals("*")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim();
                if (parameter.startsWith("q=")) {
                    try {
                        refused = Double.parseDouble(parameter.substring(2).trim()) <= 0;
                    } catch (NumberFormatException e) {
                        refused = true;
                    }
                }
            }
            if (!refused) {
                return true;
            }
        }
        return false;
    }

    /** Configuration of a {@link MetricsServlet}. */
    public static final class Builder {
        private final PrometheusMeterRegistry registry;
        private Credentials credentials;
        private String challenge;
        private boolean gzip = true;

        private Builder(PrometheusMeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** Requires {@code Authorization: Bearer <token>} (Prometheus' {@code authorization} config). */
        public Builder bearerToken(String token) {
            this.credentials = Credentials.bearer(token);
            this.challenge = "Bearer realm=\"metrics\"";
            return this;
        }

        /** Requires HTTP basic auth (Prometheus' {@code basic_auth} config). */
        public Builder basicAuth(String user, String password) {
            this.credentials = Credentials.basic(user, password);
            this.challenge = "Basic realm=\"metrics\", charset=\"UTF-8\"";
            return this;
        }

        /** Compresses the scrape when the scraper accepts gzip (default on; scrapes compress about 10×). */
        public Builder gzip(boolean enabled) {
            this.gzip = enabled;
            return this;
        }

        public MetricsServlet build() {
            return new MetricsServlet(this);
        }
    }
}
