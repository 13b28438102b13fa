package io.vigil.servlet;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.exposition.PrometheusExposition;
import io.vigil.core.internal.InternalErrors;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * The Prometheus scrape endpoint: OpenMetrics 1.0 when the scraper offers it (Prometheus does), else text
 * 0.0.4; gzip when accepted; optional bearer-token or basic auth compared in constant time; 405 for any
 * method but GET and HEAD — {@code TRACE} included, so no request header (a credential, a cookie) is ever echoed.
 * Headers are parsed by hand and never throw: a malformed {@code Accept} is answered with text 0.0.4, a
 * malformed {@code Accept-Encoding} without gzip, a malformed {@code Authorization} with 401.
 *
 * <p>In {@code web.xml}, {@code new MetricsServlet()} scrapes the {@link PrometheusMeterRegistry} found in
 * {@link Metrics#globalRegistry} (its first Prometheus registry) and takes no credentials; in code,
 * {@link #builder(PrometheusMeterRegistry)}.
 */
public final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String COMPONENT = "servlet.metrics";

    private transient volatile PrometheusMeterRegistry registry;
    private final transient Credentials credentials;
    private final String challenge;
    private final boolean gzip;
    private transient volatile InternalErrors errors;

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

    /** Vigil's own failures in this servlet; created on the first one, so a healthy servlet adds no series. */
    private InternalErrors errors(PrometheusMeterRegistry scraped) {
        InternalErrors current = errors;
        if (current == null) {
            current = InternalErrors.forComponent(scraped, COMPONENT);
            errors = current;
        }
        return current;
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
        String contentType;
        boolean compress;
        try {
            contentType = PrometheusExposition.negotiate(accept);
            compress = gzip && acceptsGzip(request.getHeader("Accept-Encoding"));
        } catch (RuntimeException e) {
            // Neither parser throws; should one ever do, the headers count as absent and the scrape goes on.
            errors(scraped).record(e);
            accept = null;
            contentType = PrometheusExposition.TEXT_0_0_4;
            compress = false;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(contentType);
        response.setHeader("Cache-Control", "no-store");
        response.addHeader("Vary", "Accept, Accept-Encoding");
        if (head) {
            return;
        }
        if (compress) {
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

    /**
     * Whether {@code Accept-Encoding} lists gzip (or {@code *}) with a non-zero quality. Parsed by hand and never
     * throws: a malformed header ({@code ;}, {@code gzip;q=}, control characters) is read as not accepting gzip,
     * except for elements that are well formed.
     */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        int length = acceptEncoding.length();
        for (int from = 0; from <= length; ) {
            int end = acceptEncoding.indexOf(',', from);
            if (end < 0) {
                end = length;
            }
            if (gzipElement(acceptEncoding, from, end)) {
                return true;
            }
            from = end + 1;
        }
        return false;
    }

    private static boolean gzipElement(String s, int from, int end) {
        int semicolon = s.indexOf(';', from);
        int nameEnd = semicolon < 0 || semicolon > end ? end : semicolon;
        String name = s.substring(from, nameEnd).trim();
        if (!name.equalsIgnoreCase("gzip") && !name.equalsIgnoreCase("x-gzip") && !name.equals("*")) {
            return false;
        }
        for (int p = nameEnd; p < end; ) {
            int next = s.indexOf(';', p + 1);
            if (next < 0 || next > end) {
                next = end;
            }
            String parameter = s.substring(p + 1, next).trim();
            if (parameter.length() >= 2 && (parameter.charAt(0) == 'q' || parameter.charAt(0) == 'Q')
                    && parameter.charAt(1) == '=') {
                return positiveQuality(parameter.substring(2).trim());
            }
            p = next;
        }
        return true;
    }

    /** RFC 9110's qvalue: {@code 0}–{@code 1} with up to three decimals; anything else counts as 0. */
    private static boolean positiveQuality(String q) {
        if (q.isEmpty() || q.length() > 5 || (q.charAt(0) != '0' && q.charAt(0) != '1')) {
            return false;
        }
        if (q.length() > 1 && q.charAt(1) != '.') {
            return false;
        }
        boolean positive = q.charAt(0) == '1';
        for (int i = 2; i < q.length(); i++) {
            char c = q.charAt(i);
            if (c < '0' || c > '9' || (q.charAt(0) == '1' && c != '0')) {
                return false;
            }
            positive |= c != '0';
        }
        return positive;
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
