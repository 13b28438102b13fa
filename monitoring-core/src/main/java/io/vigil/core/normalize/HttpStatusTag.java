package io.vigil.core.normalize;

/**
 * The {@code status} tag value of an HTTP status code. The 500 valid codes are precomputed so the hot
 * path never formats an int; anything outside 100–599 is {@code UNKNOWN}.
 */
public final class HttpStatusTag {

    private static final String[] VALUES = new String[600];

    static {
        for (int code = 100; code < 600; code++) {
            VALUES[code] = Integer.toString(code);
        }
    }

    private HttpStatusTag() {
    }

    public static String of(int status) {
        return status >= 100 && status < 600 ? VALUES[status] : "UNKNOWN";
    }
}
