package io.vigil.health.checks;

import io.vigil.core.health.HealthCheck;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * GETs a URL with connect and request timeouts and expects one of the configured statuses. The body is
 * discarded. Details name the URL without user info or query, which may carry credentials.
 */
final class HttpCheck implements HealthCheck {

    private final HttpClient client;
    private final HttpRequest request;
    private final String safeUrl;
    private final Set<Integer> expected;

    HttpCheck(URI uri, Duration connectTimeout, Duration requestTimeout, Set<Integer> expected) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.request = HttpRequest.newBuilder(uri).GET().timeout(requestTimeout)
                .header("User-Agent", "vigil-health").build();
        this.safeUrl = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
        this.expected = Set.copyOf(expected);
    }

    @Override
    public HealthResult check() throws InterruptedException {
        HealthResult.Builder result = HealthResult.builder(HealthStatus.UP).detail("url", safeUrl);
        long start = System.nanoTime();
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            result.detail("status", status).detail("latencyMs", Evaluation.millisSince(start));
            if (!expected.isEmpty() ? !expected.contains(status) : status < 200 || status >= 300) {
                result.status(HealthStatus.DOWN).detail("expected", expected.isEmpty() ? "2xx" : expected.toString());
            }
            return result.build();
        } catch (IOException failed) {
            return result.status(HealthStatus.DOWN).error(failed).detail("latencyMs", Evaluation.millisSince(start))
                    .build();
        }
    }
}
