package io.vigil.servlet;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.vigil.core.app.ActiveUsers;
import io.vigil.core.cardinality.CardinalityGuard;
import io.vigil.core.cardinality.CardinalityLimits;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.internal.InternalErrors;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * RED metrics for any jakarta servlet container, with the meter names and tags Spring Boot emits
 * ({@code http_server_requests_seconds{method,uri,status,outcome,exception}}), so existing dashboards work.
 *
 * <p>In {@code web.xml}: {@code new MonitoringFilter()} records into {@link Metrics#globalRegistry} and reads
 * optional init parameters ({@code exclude}, {@code route-attributes}, {@code path-templates},
 * {@code histogram} ({@code compact}, {@code percentile}, {@code none}), {@code percentile-histogram},
 * {@code count-streamed-bodies}, {@code active-requests}, {@code active-users}). In code: {@link #builder(MeterRegistry)}. Map it to
 * {@code /*} for {@code REQUEST} dispatches, first in the chain; asynchronous requests are recorded once, when
 * they complete.
 *
 * <p>The filter never throws into the application: its own failures are counted in
 * {@code vigil.internal.errors{component="servlet.filter"}} and the request goes on; the application's
 * exceptions are recorded and rethrown unchanged.
 */
public final class MonitoringFilter implements Filter {

    /** A request attribute the application may set to the route template, e.g. {@code /users/{id}}. */
    public static final String ROUTE_ATTRIBUTE = "io.vigil.servlet.route";

    /** Spring MVC's {@code HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE}. */
    public static final String SPRING_MVC_ROUTE_ATTRIBUTE =
            "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

    private static final String COMPONENT = "servlet.filter";

    /**
     * The default {@code le} boundaries of {@code http_server_requests_seconds_bucket}: the catalog's
     * {@link MetricCatalog#LATENCY_BUCKETS} (Prometheus' own default buckets, 5 ms to 10 s), shared with
     * {@code app.operation.duration}.
     */
    static final Duration[] DEFAULT_BUCKETS = MetricCatalog.LATENCY_BUCKETS.toArray(new Duration[0]);

    /** The {@code le} boundaries of {@code http_server_requests_seconds_bucket}. */
    public enum Histogram {
        /**
         * The default: 11 boundaries, 5 ms to 10 s in 1-2.5-5 steps (Prometheus' own default buckets), plus
         * any {@link Builder#serviceLevelObjectives}. Enough for p95/p99 alerts at a threshold on a boundary.
         */
        COMPACT,
        /**
         * Micrometer's percentile histogram: ~70 boundaries from 1 ms to 30 s ({@link Builder#expectedRange}),
         * those Spring Boot emits when enabled; finer quantiles, about 5 times the series.
         */
        PERCENTILE,
        /** No boundaries but the {@link Builder#serviceLevelObjectives}; none at all without them. */
        NONE
    }

    private volatile RequestRecorder recorder;

    /** For {@code web.xml}: records into {@link Metrics#globalRegistry}, configured by init parameters. */
    public MonitoringFilter() {
    }

    private MonitoringFilter(Builder builder) {
        this.recorder = builder.recorder();
    }

    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        if (recorder == null) {
            try {
                recorder = Builder.fromInitParameters(Metrics.globalRegistry, config).recorder();
            } catch (IllegalArgumentException e) {
                throw new ServletException("Invalid MonitoringFilter configuration: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws java.io.IOException, ServletException {
        RequestRecorder current = recorder;
        if (current == null) {
            current = defaultRecorder();
        }
        if (request instanceof HttpServletRequest && response instanceof HttpServletResponse
                && request.getDispatcherType() == DispatcherType.REQUEST) {
            current.filter((HttpServletRequest) request, (HttpServletResponse) response, chain);
        } else {
            // Forwards, includes, error and async dispatches belong to a request already being measured.
            chain.doFilter(request, response);
        }
    }

    /** A container that skipped {@link #init} still gets metrics, with the defaults. */
    private synchronized RequestRecorder defaultRecorder() {
        if (recorder == null) {
            recorder = new Builder(Metrics.globalRegistry).recorder();
        }
        return recorder;
    }

    /** Configuration of a {@link MonitoringFilter}; every option has a production-safe default. */
    public static final class Builder {

        private final MeterRegistry registry;
        private final List<String> routeAttributes = new ArrayList<>(List.of(ROUTE_ATTRIBUTE,
                SPRING_MVC_ROUTE_ATTRIBUTE));
        private final List<String> exclusions = new ArrayList<>();
        private final List<String> pathTemplates = new ArrayList<>();
        private Histogram histogram = Histogram.COMPACT;
        private double[] percentiles = new double[0];
        private Duration[] serviceLevelObjectives = new Duration[0];
        private Duration minimumExpectedValue;
        private Duration maximumExpectedValue;
        private CardinalityLimits cardinalityLimits = CardinalityLimits.defaults();
        private boolean countStreamedBodies;
        private boolean trackActiveUsers = true;
        private boolean activeRequests;
        private ActiveUsers activeUsers;
        private Function<HttpServletRequest, String> principal = Builder::principalName;

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        static Builder fromInitParameters(MeterRegistry registry, FilterConfig config) {
            Builder builder = new Builder(registry);
            String exclude = config.getInitParameter("exclude");
            if (exclude != null) {
                builder.exclude(split(exclude));
            }
            String attributes = config.getInitParameter("route-attributes");
            if (attributes != null) {
                builder.routeAttributes(split(attributes));
            }
            String templates = config.getInitParameter("path-templates");
            if (templates != null) {
                builder.pathTemplates(split(templates));
            }
            String histogram = config.getInitParameter("percentile-histogram");
            if (histogram != null) {
                builder.publishPercentileHistogram(bool("percentile-histogram", histogram));
            }
            String layout = config.getInitParameter("histogram");
            if (layout != null) {
                try {
                    builder.histogram(Histogram.valueOf(layout.trim().toUpperCase(java.util.Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("histogram must be compact, percentile or none, was "
                            + layout, e);
                }
            }
            String count = config.getInitParameter("count-streamed-bodies");
            if (count != null) {
                builder.countStreamedBodies(bool("count-streamed-bodies", count));
            }
            String inFlight = config.getInitParameter("active-requests");
            if (inFlight != null) {
                builder.activeRequests(bool("active-requests", inFlight));
            }
            String users = config.getInitParameter("active-users");
            if (users != null) {
                builder.trackActiveUsers(bool("active-users", users));
            }
            return builder;
        }

        /**
         * Request attributes that hold the route template, checked in order after the defaults
         * ({@link #ROUTE_ATTRIBUTE}, then Spring MVC's best matching pattern): a JAX-RS filter's, your own.
         */
        public Builder routeAttributes(String... names) {
            for (String name : names) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("A route attribute name must not be blank");
                }
                if (!routeAttributes.contains(name)) {
                    routeAttributes.add(name);
                }
            }
            return this;
        }

        /** Paths not measured: an exact path ({@code /metrics}) or a subtree ({@code /health/**}). */
        public Builder exclude(String... paths) {
            for (String path : paths) {
                PathExclusions.validate(path);
                exclusions.add(path);
            }
            return this;
        }

        /**
         * For requests a servlet with one of these mappings served without a route attribute, {@code uri} is the
         * normalized path ({@code /orders/{id}/items}) instead of the mapping pattern ({@code /orders/*}). Give
         * the prefix ({@code /orders/*}) or extension ({@code *.do}) mappings whose paths are routes, or
         * {@code /} for the default servlet. Such values come from client input: they are admitted under their
         * own cap ({@link CardinalityLimits.Builder#untrusted}, default 100) that can never crowd out declared
         * routes, and only for answers the client could not choose (not a 4xx, not an invented method).
         */
        public Builder pathTemplates(String... servletMappings) {
            for (String mapping : servletMappings) {
                if (mapping == null || !(mapping.equals("/") || (mapping.startsWith("/") && mapping.endsWith("/*"))
                        || (mapping.startsWith("*.") && mapping.length() > 2))) {
                    throw new IllegalArgumentException("A path-template mapping is a prefix mapping ('/orders/*'),"
                            + " an extension mapping ('*.do') or '/' (the default servlet), was " + mapping);
                }
                if (!pathTemplates.contains(mapping)) {
                    pathTemplates.add(mapping);
                }
            }
            return this;
        }

        /** The bucket layout of {@code http.server.requests} (default {@link Histogram#COMPACT}). */
        public Builder histogram(Histogram layout) {
            this.histogram = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /**
         * {@code true}: Micrometer's full percentile histogram ({@link Histogram#PERCENTILE}, ~70 boundaries);
         * {@code false}: no buckets but the SLOs ({@link Histogram#NONE}). Without either call the layout is
         * {@link Histogram#COMPACT}.
         */
        public Builder publishPercentileHistogram(boolean enabled) {
            this.histogram = enabled ? Histogram.PERCENTILE : Histogram.NONE;
            return this;
        }

        /** Client-side percentiles ({@code 0.5}, {@code 0.99}); they do not aggregate across instances. */
        public Builder percentiles(double... values) {
            for (double value : values) {
                if (!(value >= 0 && value <= 1)) {
                    throw new IllegalArgumentException("A percentile is between 0 and 1, was " + value);
                }
            }
            this.percentiles = values.clone();
            return this;
        }

        /** Extra histogram boundaries at these latencies (alert thresholds such as 300 ms, 2 s). */
        public Builder serviceLevelObjectives(Duration... slos) {
            for (Duration slo : slos) {
                if (slo == null || slo.isNegative() || slo.isZero()) {
                    throw new IllegalArgumentException("A service level objective must be positive, was " + slo);
                }
            }
            this.serviceLevelObjectives = slos.clone();
            return this;
        }

        /** Bounds of Micrometer's percentile histogram (default 1 ms to 30 s); only with it on. */
        public Builder expectedRange(Duration minimum, Duration maximum) {
            if (minimum == null || maximum == null || minimum.isNegative() || minimum.isZero()
                    || maximum.compareTo(minimum) <= 0) {
                throw new IllegalArgumentException("The expected range needs 0 < minimum < maximum, was "
                        + minimum + " to " + maximum);
            }
            this.minimumExpectedValue = minimum;
            this.maximumExpectedValue = maximum;
            return this;
        }

        /**
         * Caps on distinct tag values (default 100 declared uris, 100 untrusted ones; beyond that, {@code OTHER})
         * and on series per meter (default 1,000, {@link CardinalityLimits.Builder#series}).
         */
        public Builder cardinalityLimits(CardinalityLimits limits) {
            this.cardinalityLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Counts body bytes the application streams without a Content-Length (off by default). Costs a
         * request and a response wrapper plus a stream wrapper per request and an addition per write call;
         * when off, sizes come from Content-Length only and a streamed response records no size.
         */
        public Builder countStreamedBodies(boolean enabled) {
            this.countStreamedBodies = enabled;
            return this;
        }

        /**
         * Publishes {@code http.server.requests.active{method,uri}} (requests in flight, a long task timer;
         * off by default). Micrometer's long task timer allocates a sample and skip-list nodes (~92 B) per
         * request and keeps one skip list per series shared by concurrent requests; with it off the filter
         * allocates nothing per request on a route-template hit.
         */
        public Builder activeRequests(boolean enabled) {
            this.activeRequests = enabled;
            return this;
        }

        /** Feeds {@code users.active} (default on); the principal is hashed into a sketch, never a tag. */
        public Builder trackActiveUsers(boolean enabled) {
            this.trackActiveUsers = enabled;
            return this;
        }

        /** Shares an {@link ActiveUsers} with other code (implies {@link #trackActiveUsers} on). */
        public Builder activeUsers(ActiveUsers users) {
            this.activeUsers = Objects.requireNonNull(users, "users");
            this.trackActiveUsers = true;
            return this;
        }

        /** Who the request is for; default {@code getUserPrincipal().getName()}; null means anonymous. */
        public Builder principal(Function<HttpServletRequest, String> resolver) {
            this.principal = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        public MonitoringFilter build() {
            return new MonitoringFilter(this);
        }

        RequestRecorder recorder() {
            CardinalityGuard guard = CardinalityGuard.create(registry, cardinalityLimits);
            UriTagResolver uris = new UriTagResolver(List.copyOf(routeAttributes), List.copyOf(pathTemplates),
                    guard.limiter(MetricCatalog.HTTP_SERVER_REQUESTS, "uri"),
                    guard.untrustedLimiter(MetricCatalog.HTTP_SERVER_REQUESTS, "uri"),
                    guard.limiter(MetricCatalog.HTTP_SERVER_REQUESTS_ACTIVE, "uri"));
            HttpServerMeters meters = new HttpServerMeters(registry, timerOptions(), uris.routeCapacity());
            ActiveUsers users = trackActiveUsers
                    ? (activeUsers != null ? activeUsers : ActiveUsers.register(registry)) : null;
            return new RequestRecorder(registry.config().clock(), meters, uris,
                    guard.limiter(MetricCatalog.HTTP_SERVER_REQUESTS, "exception"),
                    PathExclusions.of(exclusions), countStreamedBodies, activeRequests, users, principal,
                    InternalErrors.forComponent(registry, COMPONENT));
        }

        private UnaryOperator<Timer.Builder> timerOptions() {
            boolean percentileHistogram = histogram == Histogram.PERCENTILE;
            double[] quantiles = percentiles.clone();
            Duration[] slos = serviceLevelObjectives.clone();
            Duration min = minimumExpectedValue;
            Duration max = maximumExpectedValue;
            Duration[] boundaries = histogram == Histogram.COMPACT ? withDefaultBuckets(slos) : slos;
            return builder -> {
                builder.publishPercentileHistogram(percentileHistogram);
                if (quantiles.length > 0) {
                    builder.publishPercentiles(quantiles);
                }
                if (boundaries.length > 0) {
                    builder.serviceLevelObjectives(boundaries);
                }
                if (min != null) {
                    builder.minimumExpectedValue(min).maximumExpectedValue(max);
                }
                return builder;
            };
        }

        private static Duration[] withDefaultBuckets(Duration[] slos) {
            java.util.TreeSet<Duration> all = new java.util.TreeSet<>(Arrays.asList(DEFAULT_BUCKETS));
            all.addAll(Arrays.asList(slos));
            return all.toArray(new Duration[0]);
        }

        private static String principalName(HttpServletRequest request) {
            Principal user = request.getUserPrincipal();
            return user == null ? null : user.getName();
        }

        private static String[] split(String list) {
            return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .toArray(String[]::new);
        }

        private static boolean bool(String name, String value) {
            String v = value.trim();
            if (v.equalsIgnoreCase("true")) {
                return true;
            }
            if (v.equalsIgnoreCase("false")) {
                return false;
            }
            throw new IllegalArgumentException(name + " must be true or false, was " + value);
        }
    }
}
