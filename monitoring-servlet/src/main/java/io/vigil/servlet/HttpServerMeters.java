package io.vigil.servlet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.normalize.HttpMethods;
import io.vigil.core.normalize.HttpOutcome;
import io.vigil.core.normalize.HttpStatusTag;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The HTTP server meters of one filter, cached by tag values that are already limited (method, uri,
 * status, exception all come from bounded sets), so the request path does a few lock-free
 * {@link ConcurrentHashMap#get} calls keyed by strings it already holds and never builds a meter. A meter
 * is registered (through the catalog) only the first time its tag combination is seen.
 */
final class HttpServerMeters {

    static final String NO_EXCEPTION = "none";

    private final MeterRegistry registry;
    private final UnaryOperator<Timer.Builder> timerOptions;
    private final ConcurrentHashMap<String, UriMeters> byUri = new ConcurrentHashMap<>();
    /**
     * The meters of a published route, keyed by the route String itself: a framework publishes the same
     * instance every time (a constant, a {@code PathPattern}'s text), whose hash is cached and whose equality is
     * identity, so a known route reaches its meters in one lookup instead of a limiter lookup and then this one.
     * Holds at most {@code routeCapacity} routes; past that a route goes the long way, still correct.
     */
    private final ConcurrentHashMap<String, UriMeters> byRoute = new ConcurrentHashMap<>();
    private final int routeCapacity;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, LongTaskTimer>> activeByUri =
            new ConcurrentHashMap<>();

    HttpServerMeters(MeterRegistry registry, UnaryOperator<Timer.Builder> timerOptions, int routeCapacity) {
        this.registry = registry;
        this.timerOptions = timerOptions;
        this.routeCapacity = routeCapacity;
    }

    /** {@code http.server.requests.active{method,uri}}; {@code uri} here is the servlet mapping. */
    LongTaskTimer active(String method, String uri) {
        ConcurrentHashMap<String, LongTaskTimer> byMethod = activeByUri.get(uri);
        if (byMethod == null) {
            byMethod = activeByUri.computeIfAbsent(uri, u -> new ConcurrentHashMap<>(4));
        }
        LongTaskTimer timer = byMethod.get(method);
        if (timer == null) {
            timer = byMethod.computeIfAbsent(method, m -> MetricCatalog.HTTP_SERVER_REQUESTS_ACTIVE
                    .longTaskTimer(registry, Tags.of("method", m, "uri", uri)));
        }
        return timer;
    }

    /**
     * The {@code outcome} of a {@code status} tag; runs only when a timer is first registered. A method the
     * server does not know ({@code UNKNOWN}, answered 501 by {@code HttpServlet}, 405 by some containers) is the
     * client's error whatever the code says: otherwise any client could drive the 5xx ratio, the first alert of
     * the rule pack, by inventing methods.
     */
    static String outcome(String method, String status) {
        int code;
        try {
            code = Integer.parseInt(status);
        } catch (NumberFormatException e) {
            code = -1;
        }
        if (HttpMethods.UNKNOWN.equals(method) && (code == 501 || code == 405)) {
            return HttpOutcome.CLIENT_ERROR.name();
        }
        return HttpOutcome.forStatus(code).name();
    }

    /** The meters of a published route, whose {@code uri} tag {@code uris} derives (the root, the route, OTHER). */
    UriMeters route(String route, UriTagResolver uris) {
        UriMeters meters = byRoute.get(route);
        if (meters == null) {
            meters = uri(uris.routeTag(route));
            // A race may add a few past the capacity, one per racing thread at most: still bounded.
            if (byRoute.size() < routeCapacity) {
                byRoute.putIfAbsent(route, meters);
            }
        }
        return meters;
    }

    /** How many routes {@link #route} remembers now. */
    int routesRemembered() {
        return byRoute.size();
    }

    UriMeters uri(String uri) {
        UriMeters meters = byUri.get(uri);
        if (meters == null) {
            meters = byUri.computeIfAbsent(uri, UriMeters::new);
        }
        return meters;
    }

    /** Every meter whose {@code uri} tag is one value. */
    final class UriMeters {
        private final String uri;
        private final ConcurrentHashMap<String, MethodMeters> byMethod = new ConcurrentHashMap<>(4);
        private final ConcurrentHashMap<String, Counter> authFailuresByStatus = new ConcurrentHashMap<>(4);
        private volatile Counter rateLimited;
        /**
         * The meters of the method this uri last saw: methods are the constants of {@link HttpMethods}, so a
         * reference comparison finds the usual one without hashing. A plain field: a stale read only costs the
         * map lookup, and {@link MethodMeters} is safely published by its final fields.
         */
        private MethodMeters lastMethod;

        private UriMeters(String uri) {
            this.uri = uri;
        }

        MethodMeters method(String method) {
            MethodMeters meters = lastMethod;
            if (meters != null && meters.method == method) {
                return meters;
            }
            meters = byMethod.get(method);
            if (meters == null) {
                meters = byMethod.computeIfAbsent(method, MethodMeters::new);
            }
            lastMethod = meters;
            return meters;
        }

        /** {@code http.server.auth.failures{uri,status}}; status is 401 or 403. */
        Counter authFailures(String status) {
            Counter counter = authFailuresByStatus.get(status);
            if (counter == null) {
                counter = authFailuresByStatus.computeIfAbsent(status, s -> MetricCatalog.HTTP_SERVER_AUTH_FAILURES
                        .counter(registry, Tags.of("uri", uri, "status", s)));
            }
            return counter;
        }

        /** {@code http.server.rate.limited{uri}}. */
        Counter rateLimited() {
            Counter counter = rateLimited;
            if (counter == null) {
                // A race registers the same meter twice; the registry hands back the one instance.
                counter = MetricCatalog.HTTP_SERVER_RATE_LIMITED.counter(registry, Tags.of("uri", uri));
                rateLimited = counter;
            }
            return counter;
        }

        /** Every meter of one (method, uri). */
        final class MethodMeters {
            private final String method;
            private final ConcurrentHashMap<String, StatusMeters> byStatus = new ConcurrentHashMap<>(8);
            private volatile DistributionSummary requestSize;
            private volatile DistributionSummary responseSize;
            /** The status last seen, compared by reference ({@link HttpStatusTag} constants); as {@code lastMethod}. */
            private StatusMeters lastStatus;

            private MethodMeters(String method) {
                this.method = method;
            }

            /** {@code http.server.requests} for this status and exception ({@value #NO_EXCEPTION} when none). */
            Timer timer(String status, String exception) {
                StatusMeters meters = lastStatus;
                if (meters == null || meters.status != status) {
                    meters = byStatus.get(status);
                    if (meters == null) {
                        meters = byStatus.computeIfAbsent(status, StatusMeters::new);
                    }
                    lastStatus = meters;
                }
                return meters.timer(exception);
            }

            DistributionSummary requestSize() {
                DistributionSummary summary = requestSize;
                if (summary == null) {
                    summary = MetricCatalog.HTTP_SERVER_REQUEST_SIZE.summary(registry,
                            Tags.of("method", method, "uri", uri));
                    requestSize = summary;
                }
                return summary;
            }

            DistributionSummary responseSize() {
                DistributionSummary summary = responseSize;
                if (summary == null) {
                    summary = MetricCatalog.HTTP_SERVER_RESPONSE_SIZE.summary(registry,
                            Tags.of("method", method, "uri", uri));
                    responseSize = summary;
                }
                return summary;
            }

            /** The timers of one (method, uri, status). */
            private final class StatusMeters {
                private final String status;
                private volatile Timer withoutException;
                private final ConcurrentHashMap<String, Timer> byException = new ConcurrentHashMap<>(2);

                private StatusMeters(String status) {
                    this.status = status;
                }

                Timer timer(String exception) {
                    if (exception == NO_EXCEPTION || NO_EXCEPTION.equals(exception)) {
                        Timer timer = withoutException;
                        if (timer == null) {
                            // Lazily, so a status first seen with an exception makes no empty "none" series.
                            // A race registers twice; the registry hands back the one instance.
                            timer = register(NO_EXCEPTION);
                            withoutException = timer;
                        }
                        return timer;
                    }
                    Timer timer = byException.get(exception);
                    if (timer == null) {
                        timer = byException.computeIfAbsent(exception, this::register);
                    }
                    return timer;
                }

                private Timer register(String exception) {
                    return MetricCatalog.HTTP_SERVER_REQUESTS.timer(registry,
                            Tags.of("method", method, "uri", uri, "status", status,
                                    "outcome", outcome(method, status), "exception", exception),
                            timerOptions);
                }
            }
        }
    }
}
