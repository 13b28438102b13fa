package io.vigil.examples;

import io.vigil.core.app.ApplicationMetrics;
import io.vigil.servlet.MonitoringFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /slow}: 50 ms of simulated work, to see the latency panels move. */
final class SlowServlet extends HttpServlet {

    static final long DELAY_MILLIS = 50;

    private final ApplicationMetrics app;

    SlowServlet(ApplicationMetrics app) {
        this.app = app;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        request.setAttribute(MonitoringFilter.ROUTE_ATTRIBUTE, "/slow");
        app.userSeen(request.getHeader(OrdersServlet.USER_HEADER));
        try {
            Thread.sleep(DELAY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        byte[] body = "slept 50 ms\n".getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/plain");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
