package io.vigil.benchmarks;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.core.clock.CoarseClock;
import io.vigil.servlet.MonitoringFilter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.servlet.http.MappingMatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.web.filter.ServerHttpObservationFilter;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.security.Principal;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link MonitoringFilter} invoked directly, in process, without a container: what the filter itself costs
 * per request, against the same terminal {@link FilterChain} called without it ({@code bare}).
 *
 * <p>The request and response are stand-ins that cost (almost) nothing: {@link HttpServletRequestWrapper} /
 * {@link HttpServletResponseWrapper} subclasses over a {@link Proxy} stub, overriding every method the filter
 * and the chains call with a plain field read or write. The stub's handler counts and throws, and
 * {@link #setUp} runs every workload once through both variants and fails unless the stub was never reached,
 * Vigil counted no internal error (the filter swallows its own failures, so a silently broken stand-in would
 * otherwise make Vigil look free) and exactly the expected {@code http.server.requests} series was recorded.
 * So what is measured is the filter plus field reads, never reflection. The terminal chains stand for the
 * application and are compiled out of line ({@link CompilerControl.Mode#DONT_INLINE}) in both variants, as a
 * servlet is out of the filter's sight in a container: the compiler can neither fold the status and
 * Content-Length the filter reads back into constants nor turn the thrown exception into a local jump.
 *
 * <p>Every request is a {@code GET} without a body (no Content-Length, no Transfer-Encoding) by an
 * authenticated user (so {@code users.active} is fed), answered with {@code Content-Length: 5}. Workloads:
 * <ul>
 *   <li>{@code sync}: the route is published in {@link MonitoringFilter#ROUTE_ATTRIBUTE}, servlet mapped to
 *       {@code /api/*};</li>
 *   <li>{@code normalizedPath}: no route, so the {@code uri} tag is the raw path with a numeric id and a UUID
 *       passed through the path normalizer;</li>
 *   <li>{@code notFound}: 404 without a route, on the default servlet;</li>
 *   <li>{@code exception}: the chain throws (one preallocated {@link IllegalStateException}, so the cost of
 *       filling a stack trace does not drown the filter's), the benchmark method catches it in both
 *       variants;</li>
 *   <li>{@code async}: the chain calls {@code startAsync()} and {@code complete()}; as a container does, the
 *       stand-in fires {@code onComplete} to the registered listeners when the dispatch returns, inside the
 *       measured invocation.</li>
 * </ul>
 * {@code vigil} is {@code MonitoringFilter.builder(registry).pathTemplates("/api/*").build()}, otherwise the
 * defaults (compact histogram, series budget, active users on), on its own {@link PrometheusMeterRegistry} built as
 * the root README recommends, on {@link CoarseClock} (the peer's registry keeps Micrometer's default clock, as a
 * Spring Boot service has it).
 *
 * <p>Peer, {@code sync} workload only: {@code springObservation} is Spring Framework's
 * {@link ServerHttpObservationFilter} with an {@link ObservationRegistry} whose only handler is Micrometer's
 * {@link DefaultMeterObservationHandler} on its own {@link PrometheusMeterRegistry}: what a Spring Boot service
 * gets. It needs nothing more from the stand-ins than request attributes (it stores its observation and context
 * and a once-per-request marker): {@code StubRequest} keeps them in two small arrays, cleared per request as a
 * container's fresh request would be. Its {@code uri} tag is {@code UNKNOWN}, since the path pattern is Spring
 * MVC's to publish and no handler mapping runs here (publishing it would be one attribute read more).
 *
 * <p>Every variant has its own stand-ins, which count the requests sent with them; at the end of each trial
 * ({@link #verifyCounts}) every instrumented variant's registry must have counted exactly those, in the expected
 * series, or the run fails: no variant is measured broken.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ServletFilterBenchmark {

    private static final String ROUTE = "/api/v1/users/{id}";
    private static final String ASYNC_ROUTE = "/api/v1/reports/{id}";
    private static final String RAW_PATH = "/api/v1/users/48213/orders/550e8400-e29b-41d4-a716-446655440000";
    private static final String NORMALIZED = "/api/v1/users/{id}/orders/{id}";
    private static final String CONTENT_LENGTH = "Content-Length";
    private static final String BODY_LENGTH = "5";

    /** Calls that reached the reflective stub: must stay 0. */
    private static final AtomicInteger STUB_CALLS = new AtomicInteger();

    /** Thrown by the {@code exception} chain; preallocated so both variants pay only the throw and catch. */
    private static final IllegalStateException FAILURE = new IllegalStateException("benchmark failure");

    private static final FilterChain OK = new Respond(200);
    private static final FilterChain NOT_FOUND = new Respond(404);
    private static final FilterChain THROWS = new Throw();
    private static final FilterChain ASYNC = new CompleteAsync();

    /** Vigil's registry clock; {@link CpuPerCall} sets {@link Clock#SYSTEM} to compare with Micrometer's default. */
    Clock clock = CoarseClock.shared();

    MeterRegistry registry;
    private Filter filter;
    private Exchange sync;
    private Exchange normalizedPath;
    private Exchange notFound;
    private Exchange exception;
    private Exchange async;
    // Each variant has its own stand-ins, so that at the end of a trial what each variant's registry counted can
    // be compared with the requests that variant was sent (Exchange.sent).
    private Exchange syncVigil;
    private Exchange normalizedPathVigil;
    private Exchange notFoundVigil;
    private Exchange exceptionVigil;
    private Exchange asyncVigil;
    private Exchange syncSpring;
    private Exchange normalizedPathSpring;
    MeterRegistry springRegistry;
    private Filter springObservation;

    @Setup
    public void setUp() throws Exception {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
        // /api/* opted into path templates, so normalizedPath still measures the normalizer (the default for an
        // unrouted request on a prefix mapping is the mapping pattern, a constant)
        filter = MonitoringFilter.builder(registry).pathTemplates("/api/*").build();
        sync = new Exchange("/api/v1/users/48213", ROUTE, Mapping.PATH_API);
        normalizedPath = new Exchange(RAW_PATH, null, Mapping.PATH_API);
        notFound = new Exchange("/no/such/page", null, Mapping.DEFAULT);
        exception = new Exchange("/api/v1/users/48213", ROUTE, Mapping.PATH_API);
        async = new Exchange("/api/v1/reports/7", ASYNC_ROUTE, Mapping.PATH_API);
        syncVigil = new Exchange("/api/v1/users/48213", ROUTE, Mapping.PATH_API);
        normalizedPathVigil = new Exchange(RAW_PATH, null, Mapping.PATH_API);
        notFoundVigil = new Exchange("/no/such/page", null, Mapping.DEFAULT);
        exceptionVigil = new Exchange("/api/v1/users/48213", ROUTE, Mapping.PATH_API);
        asyncVigil = new Exchange("/api/v1/reports/7", ASYNC_ROUTE, Mapping.PATH_API);
        syncSpring = new Exchange("/api/v1/users/48213", ROUTE, Mapping.PATH_API);
        normalizedPathSpring = new Exchange(RAW_PATH, null, Mapping.PATH_API);

        // What a Spring Boot service gets: the observation filter, its registry's only handler turning every
        // observation into a Timer (and a LongTaskTimer) on a PrometheusMeterRegistry. Not init()ed: a container
        // would call init(FilterConfig), which only binds bean properties and names the filter.
        springRegistry = Registries.peer();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(springRegistry));
        springObservation = new ServerHttpObservationFilter(observations);

        STUB_CALLS.set(0);
        check(sync_bare(), 200);
        check(sync_vigil(), 200);
        check(normalizedPath_bare(), 200);
        check(normalizedPath_vigil(), 200);
        check(notFound_bare(), 404);
        check(notFound_vigil(), 404);
        check(exception_bare(), -1);
        check(exception_vigil(), -1);
        check(async_bare(), 200);
        check(async_vigil(), 200);
        check(sync_springObservation(), 200);
        check(normalizedPath_springObservation(), 200);
        if (STUB_CALLS.get() != 0) {
            throw new IllegalStateException("A stand-in method is missing: the reflective stub was called");
        }
        verifyCounts();
    }

    /**
     * Fails unless every variant's registry counted exactly the requests that variant was sent, each in its
     * expected series, and Vigil swallowed no internal error: no variant is measured broken.
     */
    @TearDown(Level.Trial)
    public void verifyCounts() {
        Counter internal = registry.find("vigil.internal.errors").counter();
        if (internal != null && internal.count() != 0) {
            throw new IllegalStateException("Vigil swallowed " + internal.count() + " internal errors");
        }
        recorded(ROUTE, "200", "none", syncVigil.sent);
        recorded(NORMALIZED, "200", "none", normalizedPathVigil.sent);
        recorded("NOT_FOUND", "404", "none", notFoundVigil.sent);
        recorded(ROUTE, "500", "IllegalStateException", exceptionVigil.sent);
        recorded(ASYNC_ROUTE, "200", "none", asyncVigil.sent);
        if (registry.find("http.server.requests").timers().size() != 5) {
            throw new IllegalStateException("Unexpected series: " + registry.find("http.server.requests").timers());
        }
        // Spring's uri tag is UNKNOWN: the path pattern is Spring MVC's to set, and no handler mapping runs here.
        Timer spring = springRegistry.find("http.server.requests")
                .tags("method", "GET", "uri", "UNKNOWN", "status", "200", "outcome", "SUCCESS").timer();
        long springCount = spring == null ? 0 : spring.count();
        // Both workloads land in that one series: Spring does not template paths without Spring MVC.
        long springSent = syncSpring.sent + normalizedPathSpring.sent;
        if (springCount != springSent || springRegistry.find("http.server.requests").timers().size() != 1) {
            throw new IllegalStateException("springObservation counted " + springCount + " of " + springSent
                    + " requests: " + springRegistry.find("http.server.requests").timers());
        }
    }

    private static void check(int status, int expected) {
        if (status != expected) {
            throw new IllegalStateException("Status " + status + ", expected " + expected);
        }
    }

    private void recorded(String uri, String status, String exceptionTag, long sent) {
        Timer timer = registry.find("http.server.requests")
                .tags("method", "GET", "uri", uri, "status", status, "exception", exceptionTag).timer();
        long counted = timer == null ? 0 : timer.count();
        if (counted != sent) {
            throw new IllegalStateException("vigil counted " + counted + " of " + sent + " requests to " + uri + " "
                    + status + " " + exceptionTag);
        }
    }

    @Benchmark
    public int sync_bare() throws IOException, ServletException {
        Exchange x = sync.reset();
        OK.doFilter(x.request, x.response);
        return x.response.getStatus();
    }

    @Benchmark
    public int sync_vigil() throws IOException, ServletException {
        Exchange x = syncVigil.reset();
        filter.doFilter(x.request, x.response, OK);
        return x.response.getStatus();
    }

    @Benchmark
    public int sync_springObservation() throws IOException, ServletException {
        Exchange x = syncSpring.reset();
        springObservation.doFilter(x.request, x.response, OK);
        return x.response.getStatus();
    }

    @Benchmark
    public int normalizedPath_bare() throws IOException, ServletException {
        Exchange x = normalizedPath.reset();
        OK.doFilter(x.request, x.response);
        return x.response.getStatus();
    }

    @Benchmark
    public int normalizedPath_vigil() throws IOException, ServletException {
        Exchange x = normalizedPathVigil.reset();
        filter.doFilter(x.request, x.response, OK);
        return x.response.getStatus();
    }

    /** The same unrouted request under Spring's filter (whose uri tag is UNKNOWN for it: see verifyCounts). */
    @Benchmark
    public int normalizedPath_springObservation() throws IOException, ServletException {
        Exchange x = normalizedPathSpring.reset();
        springObservation.doFilter(x.request, x.response, OK);
        return x.response.getStatus();
    }

    @Benchmark
    public int notFound_bare() throws IOException, ServletException {
        Exchange x = notFound.reset();
        NOT_FOUND.doFilter(x.request, x.response);
        return x.response.getStatus();
    }

    @Benchmark
    public int notFound_vigil() throws IOException, ServletException {
        Exchange x = notFoundVigil.reset();
        filter.doFilter(x.request, x.response, NOT_FOUND);
        return x.response.getStatus();
    }

    @Benchmark
    public int exception_bare() throws IOException, ServletException {
        Exchange x = exception.reset();
        try {
            THROWS.doFilter(x.request, x.response);
            return x.response.getStatus();
        } catch (IllegalStateException expected) {
            return -1;
        }
    }

    @Benchmark
    public int exception_vigil() throws IOException, ServletException {
        Exchange x = exceptionVigil.reset();
        try {
            filter.doFilter(x.request, x.response, THROWS);
            return x.response.getStatus();
        } catch (IllegalStateException expected) {
            return -1;
        }
    }

    @Benchmark
    public int async_bare() throws IOException, ServletException {
        Exchange x = async.reset();
        ASYNC.doFilter(x.request, x.response);
        x.async.dispatchReturned();
        return x.response.getStatus();
    }

    @Benchmark
    public int async_vigil() throws IOException, ServletException {
        Exchange x = asyncVigil.reset();
        filter.doFilter(x.request, x.response, ASYNC);
        x.async.dispatchReturned();
        return x.response.getStatus();
    }

    /*
     * The terminal chains stand for the application: opaque to the filter, as a servlet is in a container.
     * Not inlined (in both variants), so that the compiler cannot fold what the filter reads back (status,
     * Content-Length) into constants, nor turn the exception workload's throw into a jump.
     */

    /** Answers with a status and {@code Content-Length: 5}. */
    private static final class Respond implements FilterChain {
        private final int status;

        Respond(int status) {
            this.status = status;
        }

        @Override
        @CompilerControl(CompilerControl.Mode.DONT_INLINE)
        public void doFilter(ServletRequest request, ServletResponse response) {
            HttpServletResponse http = (HttpServletResponse) response;
            http.setStatus(status);
            http.setHeader(CONTENT_LENGTH, BODY_LENGTH);
        }
    }

    /** Fails before committing the response. */
    private static final class Throw implements FilterChain {
        @Override
        @CompilerControl(CompilerControl.Mode.DONT_INLINE)
        public void doFilter(ServletRequest request, ServletResponse response) {
            throw FAILURE;
        }
    }

    /** Goes async, answers 200 with {@code Content-Length: 5} and completes, all within the dispatch. */
    private static final class CompleteAsync implements FilterChain {
        @Override
        @CompilerControl(CompilerControl.Mode.DONT_INLINE)
        public void doFilter(ServletRequest request, ServletResponse response) {
            AsyncContext async = request.startAsync();
            HttpServletResponse http = (HttpServletResponse) async.getResponse();
            http.setStatus(200);
            http.setHeader(CONTENT_LENGTH, BODY_LENGTH);
            async.complete();
        }
    }

    /** The stand-ins of one workload, reused for every invocation. */
    private static final class Exchange {
        final StubRequest request;
        final StubResponse response;
        final StubAsyncContext async;

        Exchange(String requestUri, String route, HttpServletMapping mapping) {
            request = new StubRequest(stub(HttpServletRequest.class), requestUri, route, mapping);
            response = new StubResponse(stub(HttpServletResponse.class));
            async = new StubAsyncContext(request, response);
            request.async = async;
        }

        /** Requests sent with these stand-ins. */
        long sent;

        /** A fresh request/response state, as a container hands out per request; counts the request. */
        Exchange reset() {
            sent++;
            request.clearAttributes();
            request.asyncStarted = false;
            response.status = 200;
            response.contentLength = null;
            return this;
        }
    }

    /** A proxy that fails loudly (and counts) whatever is called on it. */
    private static <T> T stub(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    STUB_CALLS.incrementAndGet();
                    throw new UnsupportedOperationException("Not stood in for: " + method);
                }));
    }

    /** A GET without a body by an authenticated user; everything the filter reads is a field. */
    private static final class StubRequest extends HttpServletRequestWrapper {
        private static final Principal USER = () -> "user-4711";

        private final String requestUri;
        private final Object route;
        private final HttpServletMapping mapping;
        StubAsyncContext async;
        boolean asyncStarted;
        // Request attributes set during the request, in two small arrays (no allocation); cleared per request.
        private final String[] attributeNames = new String[8];
        private final Object[] attributeValues = new Object[8];
        private int attributeCount;

        StubRequest(HttpServletRequest unstubbed, String requestUri, String route, HttpServletMapping mapping) {
            super(unstubbed);
            this.requestUri = requestUri;
            this.route = route;
            this.mapping = mapping;
        }

        @Override
        public DispatcherType getDispatcherType() {
            return DispatcherType.REQUEST;
        }

        @Override
        public String getMethod() {
            return "GET";
        }

        @Override
        public String getRequestURI() {
            return requestUri;
        }

        @Override
        public String getContextPath() {
            return "";
        }

        @Override
        public HttpServletMapping getHttpServletMapping() {
            return mapping;
        }

        @Override
        public Object getAttribute(String name) {
            // The route attribute is Vigil's first choice; the others are those a filter set (Spring's do).
            if (MonitoringFilter.ROUTE_ATTRIBUTE.equals(name)) {
                return route;
            }
            for (int i = 0; i < attributeCount; i++) {
                if (attributeNames[i].equals(name)) {
                    return attributeValues[i];
                }
            }
            return null;
        }

        @Override
        public void setAttribute(String name, Object value) {
            if (value == null) {
                removeAttribute(name);
                return;
            }
            for (int i = 0; i < attributeCount; i++) {
                if (attributeNames[i].equals(name)) {
                    attributeValues[i] = value;
                    return;
                }
            }
            attributeNames[attributeCount] = name;
            attributeValues[attributeCount++] = value;
        }

        @Override
        public void removeAttribute(String name) {
            for (int i = 0; i < attributeCount; i++) {
                if (attributeNames[i].equals(name)) {
                    attributeCount--;
                    attributeNames[i] = attributeNames[attributeCount];
                    attributeValues[i] = attributeValues[attributeCount];
                    attributeNames[attributeCount] = null;
                    attributeValues[attributeCount] = null;
                    return;
                }
            }
        }

        void clearAttributes() {
            for (int i = 0; i < attributeCount; i++) {
                attributeNames[i] = null;
                attributeValues[i] = null;
            }
            attributeCount = 0;
        }

        @Override
        public long getContentLengthLong() {
            return -1;
        }

        @Override
        public int getContentLength() {
            return -1;
        }

        @Override
        public String getHeader(String name) {
            return null;
        }

        @Override
        public Principal getUserPrincipal() {
            return USER;
        }

        @Override
        public boolean isAsyncStarted() {
            return asyncStarted;
        }

        @Override
        public boolean isAsyncSupported() {
            return true;
        }

        @Override
        public AsyncContext startAsync() {
            asyncStarted = true;
            return async;
        }

        @Override
        public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
            return startAsync();
        }

        @Override
        public AsyncContext getAsyncContext() {
            if (!asyncStarted) {
                throw new IllegalStateException("Not async");
            }
            return async;
        }
    }

    /** A response not yet committed; status and Content-Length are fields. */
    private static final class StubResponse extends HttpServletResponseWrapper {
        int status = 200;
        String contentLength;

        StubResponse(HttpServletResponse unstubbed) {
            super(unstubbed);
        }

        @Override
        public void setStatus(int status) {
            this.status = status;
        }

        @Override
        public int getStatus() {
            return status;
        }

        @Override
        public void setHeader(String name, String value) {
            if (!CONTENT_LENGTH.equalsIgnoreCase(name)) {
                throw new UnsupportedOperationException(name);
            }
            contentLength = value;
        }

        @Override
        public String getHeader(String name) {
            return CONTENT_LENGTH.equalsIgnoreCase(name) ? contentLength : null;
        }

        @Override
        public boolean isCommitted() {
            return false;
        }
    }

    /**
     * An async context whose completion is deferred, as in a container, until the dispatch that started it
     * returns ({@link #dispatchReturned}); then its listeners get {@code onComplete}. No allocation: the
     * listeners live in a small array and the event is reused.
     */
    private static final class StubAsyncContext implements AsyncContext {
        private final StubRequest request;
        private final StubResponse response;
        private final AsyncEvent event;
        private final AsyncListener[] listeners = new AsyncListener[4];
        private int listenerCount;
        private boolean completing;
        private long timeout = 30_000;

        StubAsyncContext(StubRequest request, StubResponse response) {
            this.request = request;
            this.response = response;
            this.event = new AsyncEvent(this, request, response);
        }

        void dispatchReturned() throws IOException {
            if (!completing) {
                throw new IllegalStateException("The chain did not complete");
            }
            completing = false;
            for (int i = 0; i < listenerCount; i++) {
                AsyncListener listener = listeners[i];
                listeners[i] = null;
                listener.onComplete(event);
            }
            listenerCount = 0;
        }

        @Override
        public ServletRequest getRequest() {
            return request;
        }

        @Override
        public ServletResponse getResponse() {
            return response;
        }

        @Override
        public boolean hasOriginalRequestAndResponse() {
            return true;
        }

        @Override
        public void dispatch() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void dispatch(String path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void dispatch(jakarta.servlet.ServletContext context, String path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void complete() {
            completing = true;
        }

        @Override
        public void start(Runnable run) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void addListener(AsyncListener listener) {
            listeners[listenerCount++] = listener;
        }

        @Override
        public void addListener(AsyncListener listener, ServletRequest servletRequest,
                ServletResponse servletResponse) {
            addListener(listener);
        }

        @Override
        public <T extends AsyncListener> T createListener(Class<T> type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setTimeout(long timeout) {
            this.timeout = timeout;
        }

        @Override
        public long getTimeout() {
            return timeout;
        }
    }

    /** Servlet mappings as a container reports them. */
    private enum Mapping implements HttpServletMapping {
        PATH_API("", "/api/*", MappingMatch.PATH),
        DEFAULT("", "/", MappingMatch.DEFAULT);

        private final String matchValue;
        private final String pattern;
        private final MappingMatch match;

        Mapping(String matchValue, String pattern, MappingMatch match) {
            this.matchValue = matchValue;
            this.pattern = pattern;
            this.match = match;
        }

        @Override
        public String getMatchValue() {
            return matchValue;
        }

        @Override
        public String getPattern() {
            return pattern;
        }

        @Override
        public String getServletName() {
            return "app";
        }

        @Override
        public MappingMatch getMappingMatch() {
            return match;
        }
    }
}
