package io.vigil.servlet;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.LongTaskTimer;
import io.vigil.core.app.ActiveUsers;
import io.vigil.core.cardinality.TagLimiter;
import io.vigil.core.internal.InternalErrors;
import io.vigil.core.normalize.HttpMethods;
import io.vigil.core.normalize.HttpStatusTag;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What {@link MonitoringFilter} does per request: times the chain, then records the RED meters once —
 * right away for a synchronous request, at {@code onComplete} for an asynchronous one. Every step of Vigil's
 * own goes through {@link InternalErrors}; the application's exceptions pass through untouched.
 */
final class RequestRecorder {

    /** What an async request that timed out is tagged with: nothing was thrown, the container gave up. */
    static final String ASYNC_TIMEOUT = "TimeoutException";

    private final Clock clock;
    private final HttpServerMeters meters;
    private final UriTagResolver uris;
    private final TagLimiter exceptionLimiter;
    /** Null when nothing is excluded: the common case then touches no exclusion state at all. */
    private final PathExclusions exclusions;
    private final boolean countStreamedBodies;
    private final boolean activeRequests;
    private final ActiveUsers activeUsers;
    private final Function<HttpServletRequest, String> principal;
    private final InternalErrors errors;

    RequestRecorder(Clock clock, HttpServerMeters meters, UriTagResolver uris, TagLimiter exceptionLimiter,
            PathExclusions exclusions, boolean countStreamedBodies, boolean activeRequests, ActiveUsers activeUsers,
            Function<HttpServletRequest, String> principal, InternalErrors errors) {
        this.clock = clock;
        this.meters = meters;
        this.uris = uris;
        this.exceptionLimiter = exceptionLimiter;
        // Inside a container every object the filter reads per request is likely out of cache (the container's
        // own work evicts it), so state that decides nothing is not read at all.
        this.exclusions = exclusions.isEmpty() ? null : exclusions;
        this.countStreamedBodies = countStreamedBodies;
        this.activeRequests = activeRequests;
        this.activeUsers = activeUsers;
        this.principal = principal;
        this.errors = errors;
    }

    void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (exclusions != null && isExcluded(request)) {
            chain.doFilter(request, response);
            return;
        }
        long start = 0;
        String method = null;
        LongTaskTimer.Sample active = null;
        HttpServletRequest requestToPass = request;
        HttpServletResponse responseToPass = response;
        try {
            start = clock.monotonicTime();
            method = HttpMethods.normalize(request.getMethod());
            if (activeRequests) {
                active = meters.active(method, uris.resolveActive(request)).start();
            }
            if (countStreamedBodies) {
                requestToPass = new CountingRequest(request);
                responseToPass = new CountingResponse(response);
            }
        } catch (Throwable error) {
            errors.record(error);
        }

        Throwable failure = null;
        try {
            chain.doFilter(requestToPass, responseToPass);
        } catch (Throwable thrown) {
            failure = thrown;
            throw thrown;
        } finally {
            if (method != null && (failure != null || !completeLater(request, response, start, method, active,
                    requestToPass, responseToPass))) {
                record(request, response, start, method, active, failure, false, requestToPass, responseToPass);
            }
        }
    }

    private boolean isExcluded(HttpServletRequest request) {
        try {
            return exclusions.matches(request);
        } catch (Throwable error) {
            errors.record(error);
            return false;
        }
    }

    /** True when the request went async and will be recorded by a listener when it completes. */
    private boolean completeLater(HttpServletRequest request, HttpServletResponse response, long start,
            String method, LongTaskTimer.Sample active, HttpServletRequest passedRequest,
            HttpServletResponse passedResponse) {
        try {
            if (!request.isAsyncStarted()) {
                return false;
            }
            // Still inside the dispatch that started async, so the listener sees complete() even if the
            // application already called it: the container defers completion until this dispatch returns.
            request.getAsyncContext().addListener(new AsyncCompletion(this, request, response, start, method,
                    active, passedRequest, passedResponse));
            return true;
        } catch (Throwable error) {
            errors.record(error);
            return false;
        }
    }

    /** Records a finished request. Never throws. */
    void record(HttpServletRequest request, HttpServletResponse response, long start, String method,
            LongTaskTimer.Sample active, Throwable failure, boolean timedOut, HttpServletRequest passedRequest,
            HttpServletResponse passedResponse) {
        try {
            if (active != null) {
                active.stop();
            }
            long end = clock.monotonicTime();
            long duration = end - start;
            // What goes on the wire: an uncommitted response whose chain threw gets the container's status
            // for that exception (400 for a malformed form, 500 for an application failure).
            int status = failure != null && !response.isCommitted() ? WireStatus.of(failure) : response.getStatus();
            String statusTag = HttpStatusTag.of(status);
            String route = uris.route(request);
            HttpServerMeters.UriMeters uriMeters = route != null ? meters.route(route, uris)
                    : meters.uri(uris.resolveUnrouted(request, status, method));
            HttpServerMeters.UriMeters.MethodMeters methodMeters = uriMeters.method(method);
            methodMeters.timer(statusTag, exception(request, failure, timedOut))
                    .record(duration, TimeUnit.NANOSECONDS);

            long requestBytes = requestBytes(request, passedRequest);
            if (requestBytes >= 0) {
                methodMeters.requestSize().record(requestBytes);
            }
            long responseBytes = responseBytes(response, passedResponse);
            if (responseBytes >= 0) {
                methodMeters.responseSize().record(responseBytes);
            }
            if (status == 401 || status == 403) {
                uriMeters.authFailures(statusTag).increment();
            } else if (status == 429) {
                uriMeters.rateLimited().increment();
            }
            if (activeUsers != null) {
                activeUsers.seen(principal.apply(request), end); // the clock is read once per request
            }
        } catch (Throwable error) {
            errors.record(error);
        }
    }

    private String exception(HttpServletRequest request, Throwable failure, boolean timedOut) {
        if (failure != null) {
            return exceptionLimiter.limit(ExceptionNames.of(failure));
        }
        if (timedOut) {
            return ASYNC_TIMEOUT;
        }
        // An exception the application handled itself (error page, framework resolver) but published.
        Object handled = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (handled instanceof Throwable) {
            return exceptionLimiter.limit(ExceptionNames.of((Throwable) handled));
        }
        return HttpServerMeters.NO_EXCEPTION;
    }

    /**
     * The request body size: Content-Length, else what was counted of a chunked body, else -1 — a request
     * without body bytes (most GETs; containers report some as Content-Length 0) records no size, so the
     * summary's mean is that of the bodies sent.
     */
    private static long requestBytes(HttpServletRequest request, HttpServletRequest passed) {
        long declared = request.getContentLengthLong();
        if (declared > 0) {
            return declared;
        }
        if (passed instanceof CountingRequest && request.getHeader("Transfer-Encoding") != null) {
            return ((CountingRequest) passed).bytes();
        }
        return -1;
    }

    /**
     * The response body size: the Content-Length the application set (exactly what the container sends),
     * else what was counted, else unknown. Content-Length wins because an async request completed through
     * {@code AsyncContext.getResponse()} writes to the unwrapped response, past the counter.
     */
    private static long responseBytes(HttpServletResponse response, HttpServletResponse passed) {
        long declared = parseLength(response.getHeader("Content-Length"));
        if (declared < 0 && passed instanceof CountingResponse) {
            return ((CountingResponse) passed).bytes();
        }
        return declared;
    }

    /** A non-negative decimal, or -1; parsed by hand so a malformed header costs no exception. */
    static long parseLength(String value) {
        if (value == null || value.isEmpty() || value.length() > 18) {
            return -1;
        }
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }
}
