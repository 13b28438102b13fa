package io.vigil.core.normalize;

/**
 * The {@code method} tag: one of the standard methods, else {@code UNKNOWN}, so invented methods
 * cannot grow the series count. Methods are case-sensitive (RFC 9110), so {@code get} is unknown.
 */
public final class HttpMethods {

    public static final String UNKNOWN = "UNKNOWN";

    private HttpMethods() {
    }

    public static String normalize(String method) {
        if (method == null) {
            return UNKNOWN;
        }
        switch (method) {
            case "GET":
                return "GET";
            case "HEAD":
                return "HEAD";
            case "POST":
                return "POST";
            case "PUT":
                return "PUT";
            case "PATCH":
                return "PATCH";
            case "DELETE":
                return "DELETE";
            case "OPTIONS":
                return "OPTIONS";
            case "TRACE":
                return "TRACE";
            case "CONNECT":
                return "CONNECT";
            default:
                return UNKNOWN;
        }
    }
}
