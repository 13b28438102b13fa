package io.vigil.core.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic corpus of hostile header values and paths for fuzzing Vigil's parsers: hand-picked nasties
 * (the inputs that broke something once, or break naive {@code split}-based parsers) followed by seeded random
 * strings built from the characters that matter to the grammar ({@code , ; = / * " \ q .} digits, spaces).
 * The same seed always gives the same corpus, so a failure is reproducible from the test's name alone.
 */
public final class HostileInputs {

    /** Header values a naive parser trips on; all are legal on the wire (visible ASCII, space, tab). */
    public static final List<String> NASTY_HEADER_VALUES = List.of("", " ", ";", ",", ";;", ",,", ", ;", "; ,",
            "=", ";=", ";q", ";q=", ";q=;", "q=1", "*/*;q=", "*/*;q=1.5", "*/*;q=-1", "*/*;q=NaN", "*/*;q=Infinity",
            "*/*;q=1e309", "*/*;q=0x1p3", "*/*;q=0.0000001", "application/openmetrics-text;q=",
            "application/openmetrics-text;q=1.0001", "application/openmetrics-text;;;q=0.5",
            "application/openmetrics-text ; q = 0.5", "application/openmetrics-text;version=\"1.0.0;q=0\"",
            "APPLICATION/OPENMETRICS-TEXT", "application/openmetrics-text\t;\tq=1", "application/openmetrics-",
            "text/plain;version=0.0.4;charset=utf-8;q=0.1;;", "gzip;q=", "gzip;q=0", "gzip;q=0.000", "gzip;;",
            ";gzip", "x-gzip;q=0.5", "*;q=1", "identity;q=0, *;q=0", "Basic", "Basic ", "Basic !!!!", "Basic ====",
            "Basic YTpi", "Basic Og==", "Bearer", "Bearer ", "Bearer  ", "bearer x", "Negotiate abc",
            "0", "-1", "00000000000000000000", "99999999999999999999", "1 1", "0x10", "+5", "5 ", " 5",
            "\"", "\\", "\"\\\"", "a\tb", "${jndi:ldap://x/a}", "%00", "%", "%%", "~");

    private static final String HEADER_ALPHABET = ",;=/*\"\\q. \t0123456789abcdefghijklmnopqrstuvwxyz"
            + "ABCDEFGHIJKLMNOPQRSTUVWXYZ-+!#$%&'()<>?@[]^_`{|}~";

    private static final List<String> HEADER_WORDS = List.of("application/openmetrics-text", "text/plain", "*/*",
            "gzip", "x-gzip", "identity", "q=", "q=0", "q=1", "q=0.5", "version=1.0.0", "version=0.0.4",
            "charset=utf-8", "Bearer ", "Basic ", "*");

    private static final List<String> PATH_SEGMENTS = List.of(".", "..", "", "%2e%2e", "%2F", "%00", "%zz",
            "%C0%AF", ";jsessionid=abc", "a;b=c", "GARB", "x", "orders", "123", "550e8400-e29b-41d4-a716-446655440000",
            "deadbeefdeadbeefdeadbeef", "user@example.com", "\u00e9t\u00e9", "<script>", "*", "~", "%25", "?a=b",
            "#frag", "aqwecbpa");

    private HostileInputs() {
    }

    /** The nasties, then {@code randomCount} seeded random values; all legal as an HTTP/1.1 header value. */
    public static List<String> headerValues(long seed, int randomCount) {
        List<String> values = new ArrayList<>(NASTY_HEADER_VALUES);
        Random random = new Random(seed);
        for (int i = 0; i < randomCount; i++) {
            StringBuilder value = new StringBuilder();
            int parts = 1 + random.nextInt(8);
            for (int p = 0; p < parts; p++) {
                if (random.nextBoolean()) {
                    value.append(HEADER_WORDS.get(random.nextInt(HEADER_WORDS.size())));
                } else {
                    int length = random.nextInt(6);
                    for (int c = 0; c < length; c++) {
                        value.append(HEADER_ALPHABET.charAt(random.nextInt(HEADER_ALPHABET.length())));
                    }
                }
            }
            // A header value has no leading or trailing whitespace on the wire (the server would strip it).
            values.add(value.toString().strip());
        }
        return values;
    }

    /** Any UTF-16 strings (controls, surrogates, non-ASCII): for parsers called in process. */
    public static List<String> anyStrings(long seed, int count) {
        List<String> values = new ArrayList<>(headerValues(seed, count / 2));
        Random random = new Random(seed ^ 0x5DEECE66DL);
        for (int i = values.size(); i < count + NASTY_HEADER_VALUES.size(); i++) {
            int length = random.nextInt(40);
            StringBuilder value = new StringBuilder(length);
            for (int c = 0; c < length; c++) {
                int kind = random.nextInt(4);
                value.append(kind == 0 ? (char) random.nextInt(0x20) : kind == 1 ? (char) random.nextInt(0x10000)
                        : HEADER_ALPHABET.charAt(random.nextInt(HEADER_ALPHABET.length())));
            }
            values.add(value.toString());
        }
        return values;
    }

    /**
     * Paths: {@code /}-joined hostile segments (dot segments, encodings, ids, matrix parameters), random words,
     * and very long or deep paths; {@code wireSafe} keeps to characters a request line may carry unencoded.
     */
    public static List<String> paths(long seed, int count, boolean wireSafe) {
        List<String> paths = new ArrayList<>(List.of("/", "//", "/./", "/../", "/GARB/./x/../y", "/a/../../etc/passwd",
                "/" + "a/".repeat(300), "/" + "x".repeat(2000), "/%2e%2e/%2e%2e/", "/;", "/;/;/"));
        Random random = new Random(seed);
        while (paths.size() < count) {
            StringBuilder path = new StringBuilder();
            int segments = 1 + random.nextInt(6);
            for (int s = 0; s < segments; s++) {
                path.append('/');
                if (random.nextInt(3) == 0) {
                    int length = 3 + random.nextInt(10);
                    for (int c = 0; c < length; c++) {
                        path.append((char) ('a' + random.nextInt(26)));
                    }
                } else {
                    path.append(PATH_SEGMENTS.get(random.nextInt(PATH_SEGMENTS.size())));
                }
            }
            String candidate = path.toString();
            if (wireSafe) {
                candidate = candidate.replace("\u00e9", "%C3%A9").replace("<", "%3C").replace(">", "%3E")
                        .replace("#", "%23");
            }
            paths.add(candidate);
        }
        return paths;
    }
}
