package io.vigil.examples;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults the traffic tour injects into order reads ({@code GET /orders/{id}}): every n-th one answers 500, or
 * every n-th one is slowed. Mapped after the monitoring filter, so what it does shows in the metrics as a real
 * failure would. Only {@link TrafficGenerator} sets faults; with none set (the default) it passes requests on.
 */
final class Faults implements Filter {

    private volatile int failEvery;
    private volatile int slowEvery;
    private volatile Duration slowBy = Duration.ZERO;
    private final AtomicLong reads = new AtomicLong();

    /** Every {@code failEvery}-th order read answers 500 (0: none); every {@code slowEvery}-th takes {@code slowBy} longer. */
    void set(int failEvery, int slowEvery, Duration slowBy) {
        this.failEvery = failEvery;
        this.slowEvery = slowEvery;
        this.slowBy = slowBy;
    }

    void clear() {
        set(0, 0, Duration.ZERO);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        int fail = failEvery;
        int slow = slowEvery;
        if ((fail > 0 || slow > 0) && "GET".equals(((HttpServletRequest) request).getMethod())) {
            long n = reads.incrementAndGet();
            if (slow > 0 && n % slow == 0) {
                sleep(slowBy);
            }
            if (fail > 0 && n % fail == 0) {
                HttpServletRequest http = (HttpServletRequest) request;
                http.setAttribute(io.vigil.servlet.MonitoringFilter.ROUTE_ATTRIBUTE, "/orders/{id}");
                ((HttpServletResponse) response).sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
                        "injected by the traffic tour's error burst");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
