package io.vigil.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The application under test: one servlet per behaviour the filter must measure. */
final class ScenarioApp implements AutoCloseable {

    static final int STREAMED_BYTES = 10_000;

    private final ScheduledExecutorService async = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "scenario-async");
        thread.setDaemon(true);
        return thread;
    });

    /** Requests that reached a servlet, by any method: what the server really handled. */
    private final java.util.concurrent.atomic.LongAdder handled = new java.util.concurrent.atomic.LongAdder();

    /** A servlet answering GET and POST with {@code handler}; HttpServlet's own HEAD, 405 and 501 apply. */
    interface Handler {
        void handle(HttpServletRequest request, HttpServletResponse response) throws IOException;
    }

    long handled() {
        return handled.sum();
    }

    HttpServlet servlet(Handler handler) {
        return new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response)
                    throws IOException, jakarta.servlet.ServletException {
                if (request.getDispatcherType() == jakarta.servlet.DispatcherType.REQUEST) {
                    handled.increment();
                }
                super.service(request, response);
            }

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                handler.handle(request, response);
            }

            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                handler.handle(request, response);
            }
        };
    }

    static void text(HttpServletResponse response, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/plain");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    Map<String, HttpServlet> servlets() {
        Map<String, HttpServlet> servlets = new LinkedHashMap<>();
        servlets.put("/hello", servlet((request, response) -> text(response, 200, "hello")));
        servlets.put("/users/*", servlet((request, response) -> {
            request.setAttribute(MonitoringFilter.ROUTE_ATTRIBUTE, "/users/{id}"); // as a framework would
            text(response, 200, "user " + request.getPathInfo());
        }));
        servlets.put("/echo/*", servlet((request, response) -> text(response, 200, "echo")));
        servlets.put("/fail", servlet((request, response) -> {
            throw new IllegalStateException("boom");
        }));
        servlets.put("/redirect", servlet((request, response) -> response.sendRedirect("/hello")));
        servlets.put("/status/*", servlet((request, response) -> {
            int status = Integer.parseInt(request.getPathInfo().substring(1));
            text(response, status, "status " + status);
        }));
        servlets.put("/stream", servlet((request, response) -> {
            response.setContentType("text/plain");
            byte[] chunk = "x".repeat(STREAMED_BYTES / 10).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 10; i++) {
                response.getOutputStream().write(chunk);
                response.flushBuffer(); // committed without a Content-Length: chunked
            }
        }));
        servlets.put("/stream-writer", servlet((request, response) -> {
            response.setContentType("text/plain;charset=UTF-8");
            for (int i = 0; i < 10; i++) {
                response.getWriter().println("h\u00e9llo \u20ac"); // 1+2+3+1+1+3 bytes + newline
                response.flushBuffer();
            }
        }));
        servlets.put("/upload", servlet((request, response) -> {
            long read = 0;
            try (InputStream in = request.getInputStream()) {
                byte[] buffer = new byte[4096];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    read += n;
                }
            }
            text(response, 200, "read " + read);
        }));
        servlets.put("/async/delayed", servlet((request, response) -> {
            AsyncContext context = request.startAsync();
            async.schedule(() -> {
                try {
                    text((HttpServletResponse) context.getResponse(), 200, "async");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                } finally {
                    context.complete();
                }
            }, 50, TimeUnit.MILLISECONDS);
        }));
        servlets.put("/async/error", servlet((request, response) -> {
            AsyncContext context = request.startAsync();
            async.schedule(() -> context.dispatch("/fail"), 20, TimeUnit.MILLISECONDS); // the dispatch throws
        }));
        servlets.put("/async/timeout", servlet((request, response) -> {
            AsyncContext context = request.startAsync();
            context.setTimeout(100); // never completed: the container times it out and answers 500
        }));
        servlets.put("/form", servlet((request, response) -> {
            // reads the form as any application does: a malformed body fails inside the container's parser
            text(response, 200, "item " + request.getParameter("item"));
        }));
        servlets.put("/", servlet((request, response) -> {
            if ("/".equals(request.getRequestURI())) {
                text(response, 200, "root");
            } else {
                text(response, 404, "not found");
            }
        }));
        return servlets;
    }

    @Override
    public void close() {
        async.shutdownNow();
    }
}
