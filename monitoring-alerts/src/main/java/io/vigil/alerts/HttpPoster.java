package io.vigil.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Posts JSON with the JDK's {@link HttpClient} and classifies the answer as Alertmanager's notifiers do: 2xx is
 * delivered, 429 and 5xx are worth retrying, any other status is a permanent rejection. Failure messages name
 * the channel and the status only — never the URL, which may carry a key.
 */
final class HttpPoster {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();

    private final String channel;
    private final URI url;
    private final Duration timeout;
    private final Secret[] secrets;
    private final List<String> urlParts;

    HttpPoster(String channel, URI url, Duration timeout, Secret... secrets) {
        this.channel = channel;
        this.url = url;
        this.timeout = timeout;
        this.secrets = secrets;
        this.urlParts = secretParts(url);
    }

    /** Posts {@code body}; returns the response body of a 2xx answer. */
    String post(byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json").header("User-Agent", "Vigil")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new DeliveryFailure(channel + ": no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new DeliveryFailure(channel + ": " + e.getClass().getSimpleName() + " " + redact(e.getMessage()));
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        String answer = redact(abbreviate(response.body()));
        if (status == 429 || status >= 500) {
            throw new DeliveryFailure(channel + ": HTTP " + status + " " + answer);
        }
        throw new NotificationChannel.Rejected(channel + ": HTTP " + status + " " + answer);
    }

    private String redact(String text) {
        if (text == null) {
            return "";
        }
        String out = text.replace(url.toString(), "<url>");
        for (String part : urlParts) {
            out = out.replace(part, "****");
        }
        for (Secret secret : secrets) {
            out = secret.redact(out);
        }
        return out;
    }

    /**
     * The pieces of a URL that may be its key, as a receiver might echo them in an error answer: the path, the
     * query, the user info, and each path segment or query value long enough to be a token.
     */
    private static List<String> secretParts(URI url) {
        List<String> parts = new ArrayList<>();
        for (String whole : new String[] {url.getRawPath(), url.getPath(), url.getRawQuery(), url.getQuery(),
            url.getRawUserInfo(), url.getUserInfo()}) {
            if (whole != null && whole.length() > 1) {
                parts.add(whole);
                for (String piece : whole.split("[/&=;?]")) {
                    if (piece.length() >= 8) {
                        parts.add(piece);
                    }
                }
            }
        }
        parts.sort((a, b) -> b.length() - a.length()); // longest first, so a piece never breaks up its whole
        return List.copyOf(new java.util.LinkedHashSet<>(parts));
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }
}
