package io.vigil.examples;

import io.vigil.core.app.ApplicationMetrics;
import io.vigil.core.operation.Operation;
import io.vigil.core.operation.Operations;
import io.vigil.servlet.MonitoringFilter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code POST /orders} and {@code GET /orders/{id}} (mapped to {@code /orders/*}). Each request publishes its
 * route template in {@link MonitoringFilter#ROUTE_ATTRIBUTE}, so the {@code uri} tag is {@code /orders/{id}}
 * and never the id itself, also for a 404.
 */
final class OrdersServlet extends HttpServlet {

    static final String USER_HEADER = "X-User";
    private static final Pattern ITEM = Pattern.compile("[A-Za-z0-9 ._-]{1,64}");

    private final OrderStore store;
    private final OrderCache cache;
    private final ApplicationMetrics app;
    private final Operations operations;

    OrdersServlet(OrderStore store, OrderCache cache, ApplicationMetrics app, Operations operations) {
        this.store = store;
        this.cache = cache;
        this.app = app;
        this.operations = operations;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        // Counted in users_active through a hashed sketch: the id never becomes a tag.
        app.userSeen(request.getHeader(USER_HEADER));
        super.service(request, response);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException,
            IOException {
        String path = request.getPathInfo();
        if (path == null || path.equals("/")) {
            request.setAttribute(MonitoringFilter.ROUTE_ATTRIBUTE, "/orders");
            response.setHeader("Allow", "POST");
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        if (path.indexOf('/', 1) >= 0) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);   // no route: tagged NOT_FOUND
            return;
        }
        request.setAttribute(MonitoringFilter.ROUTE_ATTRIBUTE, "/orders/{id}");
        UUID id = parseId(path.substring(1));
        if (id == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        Optional<String> cached = cache.get(id);
        if (cached.isPresent()) {
            writeJson(response, HttpServletResponse.SC_OK, cached.get());
            return;
        }
        Optional<Order> order = find(id);
        if (order.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        // A decorated call: app_operation_duration_seconds{operation="cache.refresh"}.
        operations.timed("cache.refresh", () -> cache.put(order.get())).run();
        writeJson(response, HttpServletResponse.SC_OK, order.get().toJson());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws ServletException,
            IOException {
        String path = request.getPathInfo();
        if (path != null && !path.equals("/")) {
            request.setAttribute(MonitoringFilter.ROUTE_ATTRIBUTE, "/orders/{id}");
            response.setHeader("Allow", "GET");
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        request.setAttribute(MonitoringFilter.ROUTE_ATTRIBUTE, "/orders");
        String item = request.getParameter("item");
        Integer quantity = parseQuantity(request.getParameter("quantity"));
        if (item == null || !ITEM.matcher(item).matches() || quantity == null) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST,
                    "item: 1-64 of [A-Za-z0-9 ._-], quantity: 1-1000");
            return;
        }
        Order order = new Order(UUID.randomUUID(), item, quantity);
        // A scope: app_operation_duration_seconds{operation="order.place",outcome="success"|"error"}.
        try (Operation placing = operations.start("order.place")) {
            try {
                store.insert(order);
            } catch (SQLException e) {
                throw new ServletException("Order could not be stored", placing.failed(e));
            }
        }
        app.event("order.placed");
        response.setHeader("Location", "/orders/" + order.id());
        writeJson(response, HttpServletResponse.SC_CREATED, order.toJson());
    }

    private Optional<Order> find(UUID id) throws ServletException {
        try {
            return store.find(id);
        } catch (SQLException e) {
            throw new ServletException("Order could not be read", e);
        }
    }

    private static UUID parseId(String text) {
        if (text.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException notAnId) {
            return null;
        }
    }

    private static Integer parseQuantity(String text) {
        if (text == null || text.isEmpty() || text.length() > 4) {
            return null;
        }
        try {
            int quantity = Integer.parseInt(text);
            return quantity >= 1 && quantity <= 1000 ? quantity : null;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    private static void writeJson(HttpServletResponse response, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
