package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.BooleanSupplier;

/**
 * A real HTTP receiver (MockWebServer) that answers from a script — {@code 500}, {@code hang} (never answers), or
 * a status — then 200 once the script is used up, and records each request it accepted (answered 2xx) with its
 * idempotency key, group key and signature check.
 */
final class RecordingReceiver implements AutoCloseable {

    record Accepted(String key, String groupKey, String status, boolean signatureValid, JsonNode body) {
    }

    private final MockWebServer server = new MockWebServer();
    private final Deque<String> script = new ConcurrentLinkedDeque<>();
    private final List<Accepted> accepted = new ArrayList<>();
    private final String signingKey;
    private volatile int defaultStatus = 200;

    RecordingReceiver(String signingKey) throws IOException {
        this.signingKey = signingKey;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                // "/esc..." is a second endpoint that always accepts; the script drives the others
                String step = request.getPath() != null && request.getPath().startsWith("/esc") ? "200" : script.poll();
                if ("hang".equals(step)) {
                    return new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
                }
                int status = step == null ? defaultStatus : Integer.parseInt(step);
                if (status >= 200 && status < 300) {
                    byte[] body = request.getBody().readByteArray();
                    String signature = request.getHeader("X-Vigil-Signature");
                    boolean valid = signingKey == null || ("sha256=" + WebhookChannel.sign(signingKey, body))
                            .equals(signature);
                    try {
                        JsonNode json = NotificationJson.MAPPER.readTree(body);
                        synchronized (accepted) {
                            accepted.add(new Accepted(request.getHeader("Idempotency-Key"),
                                    json.path("groupKey").asText(), json.path("status").asText(), valid, json));
                        }
                    } catch (IOException e) {
                        return new MockResponse().setResponseCode(400);
                    }
                }
                return new MockResponse().setResponseCode(status);
            }
        });
        server.start();
    }

    java.net.URI url() {
        return server.url("/hook").uri();
    }

    /** The always-accepting endpoint. */
    java.net.URI escalationUrl() {
        return server.url("/esc").uri();
    }

    int port() {
        return server.getPort();
    }

    RecordingReceiver then(String... steps) {
        script.addAll(List.of(steps));
        return this;
    }

    void answerAlways(int status) {
        defaultStatus = status;
    }

    List<Accepted> accepted() {
        synchronized (accepted) {
            return new ArrayList<>(accepted);
        }
    }

    int requests() {
        return server.getRequestCount();
    }

    static void await(String what, long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + millis + " ms waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
