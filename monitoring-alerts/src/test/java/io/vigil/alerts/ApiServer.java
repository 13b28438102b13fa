package io.vigil.alerts;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** An {@link AlertsServlet} on embedded Jetty 12 at a loopback port, mounted under {@code mount}, and a client. */
final class ApiServer implements AutoCloseable {

    record Reply(int status, String body, String contentType) {
    }

    private final Server server;
    private final String base;
    private HttpClient client = newClient();
    private String token;

    ApiServer(AlertsServlet servlet, String mount) {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(servlet), mount + "/*");
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        base = "http://127.0.0.1:" + connector.getLocalPort() + mount;
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The URL amtool and Prometheus are given: scheme, host, port and mount path. */
    String url() {
        return base;
    }

    int port() {
        return java.net.URI.create(base).getPort();
    }

    /**
     * Sends {@code Authorization: Bearer value} from now on ({@code null}: none). A new client each time: the JDK's
     * client replays a bearer header it saw succeed after a 401, which would hide a wrong token.
     */
    ApiServer bearer(String value) {
        this.token = value;
        this.client = newClient();
        return this;
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Reply delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    Reply post(String path, String json) {
        return post(path, json.getBytes(StandardCharsets.UTF_8));
    }

    Reply post(String path, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private Reply send(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
