package io.vigil.core.normalize;

/**
 * Turns a raw request path into a low-cardinality template for the {@code uri} tag.
 *
 * <p>Segments that look like identifiers become {@code {id}}: numbers and other digit-only values
 * (dates, versions like {@code 1.2}), UUIDs, hex strings of 16+ characters (hashes, object ids), tokens of
 * 16+ characters that mix digits into a base64 alphabet, e-mail addresses, and anything percent-encoded,
 * non-ASCII, containing control characters or longer than 64 characters — these carry user data, not
 * routes. Empty segments ({@code //}) and {@code .} are dropped, {@code ..} removes the previous segment
 * (never climbing above the root), matrix parameters ({@code ;jsessionid=…}), query and fragment are
 * cut, and a trailing slash is folded. Only the first {@value #MAX_LENGTH} characters are read and the
 * result never exceeds that length, so a 64 KiB path costs the same as a 1 KiB one.
 *
 * <p>A path that is already a clean template is returned as is, without allocating.
 */
public final class PathNormalizer {

    /** The longest path read and the longest template produced. */
    public static final int MAX_LENGTH = 1024;

    /** What identifier-like segments become. */
    public static final String ID = "{id}";

    private static final int MAX_SEGMENT = 64;
    private static final int LONG_TOKEN = 16;

    private PathNormalizer() {
    }

    public static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        if (isClean(path, 0)) {
            return path;
        }
        StringBuilder out = new StringBuilder(Math.min(path.length() + 8, MAX_LENGTH));
        rebuild(path, 0, out);
        return out.toString();
    }

    /**
     * The template of {@code path} from index {@code from} on (for example past the context path), without
     * allocating: returns {@code path} itself when it is already clean from index 0, else fills and returns
     * {@code scratch}. Hand the result to {@link io.vigil.core.cardinality.TagLimiter#limit(CharSequence)},
     * which only makes a String the first time a template is seen.
     */
    public static CharSequence normalize(String path, int from, StringBuilder scratch) {
        scratch.setLength(0);
        if (path == null || from >= path.length()) {
            return scratch.append('/');
        }
        if (from == 0 && isClean(path, 0)) {
            return path;
        }
        if (isClean(path, from)) {
            return scratch.append(path, from, path.length());
        }
        rebuild(path, from, scratch);
        return scratch;
    }

    /** True when {@link #rebuild} would copy {@code path[from..]} unchanged. */
    private static boolean isClean(String path, int from) {
        int length = path.length();
        if (length - from > MAX_LENGTH || path.charAt(from) != '/') {
            return false;
        }
        if (length - from == 1) {
            return true;
        }
        int start = from + 1;
        while (start <= length) {
            int end = start;
            while (end < length) {
                char c = path.charAt(end);
                if (c == '/') {
                    break;
                }
                if (c == '?' || c == '#' || c == ';') {
                    return false;
                }
                end++;
            }
            if (end == start || isDotSegment(path, start, end) || isIdentifier(path, start, end)) {
                return false; // empty segment (// or trailing /), . or .., or an id
            }
            start = end + 1;
        }
        return true;
    }

    /** Writes the template of {@code path[from..]} into {@code out} (which is empty). */
    private static void rebuild(String path, int from, StringBuilder out) {
        int length = Math.min(path.length(), from + MAX_LENGTH);
        int start = from;
        boolean done = false;
        while (!done && start < length) {
            int end = start;
            int cut = -1; // start of matrix parameters, if any
            while (end < length) {
                char c = path.charAt(end);
                if (c == '/') {
                    break;
                }
                if (c == '?' || c == '#') {
                    done = true;
                    break;
                }
                if (c == ';' && cut < 0) {
                    cut = end;
                }
                end++;
            }
            int segmentEnd = cut >= 0 ? cut : end;
            if (segmentEnd > start) {
                if (isDot(path, start, segmentEnd)) {
                    // "." names the current segment: nothing to add
                } else if (isDotDot(path, start, segmentEnd)) {
                    out.setLength(lastSlash(out)); // drop the previous segment; never above the root
                } else {
                    out.append('/');
                    if (isIdentifier(path, start, segmentEnd)) {
                        out.append(ID);
                    } else {
                        out.append(path, start, segmentEnd);
                    }
                }
            }
            start = end + 1;
        }
        if (out.length() == 0) {
            out.append('/');
        }
        if (out.length() > MAX_LENGTH) {
            out.setLength(MAX_LENGTH);
        }
    }

    private static int lastSlash(StringBuilder out) {
        for (int i = out.length() - 1; i > 0; i--) {
            if (out.charAt(i) == '/') {
                return i;
            }
        }
        return 0;
    }

    private static boolean isDotSegment(String s, int from, int to) {
        return isDot(s, from, to) || isDotDot(s, from, to);
    }

    private static boolean isDot(String s, int from, int to) {
        return to - from == 1 && s.charAt(from) == '.';
    }

    private static boolean isDotDot(String s, int from, int to) {
        return to - from == 2 && s.charAt(from) == '.' && s.charAt(from + 1) == '.';
    }

    // Character classes of ASCII, looked up once per character on the hot path.
    private static final byte DIGIT = 0;
    private static final byte HEX_LETTER = 1;
    private static final byte LETTER = 2;
    private static final byte TOKEN_PUNCTUATION = 3; // - _ = . + ~ : allowed inside base64(url) tokens
    private static final byte PUNCTUATION = 4;
    private static final byte USER_DATA = 5;        // control characters, % (encoded data), @ (e-mail)
    private static final byte[] CLASSES = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            byte kind;
            if (c < 0x20 || c == 0x7f || c == '%' || c == '@') {
                kind = USER_DATA;
            } else if (c >= '0' && c <= '9') {
                kind = DIGIT;
            } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                kind = HEX_LETTER;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                kind = LETTER;
            } else if (c == '-' || c == '_' || c == '=' || c == '.' || c == '+' || c == '~') {
                kind = TOKEN_PUNCTUATION;
            } else {
                kind = PUNCTUATION;
            }
            CLASSES[c] = kind;
        }
    }

    /** Whether the segment {@code s[from, to)} carries an identifier or user data rather than a route. */
    static boolean isIdentifier(String s, int from, int to) {
        int length = to - from;
        if (length > MAX_SEGMENT) {
            return true;
        }
        int digits = 0;
        int letters = 0;
        int nonHex = 0;
        boolean tokenAlphabet = true;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 128) {
                return true; // non-ASCII: user data
            }
            switch (CLASSES[c]) {
                case DIGIT:
                    digits++;
                    break;
                case HEX_LETTER:
                    letters++;
                    break;
                case LETTER:
                    letters++;
                    nonHex++;
                    break;
                case TOKEN_PUNCTUATION:
                    nonHex++;
                    break;
                case PUNCTUATION:
                    nonHex++;
                    tokenAlphabet = false;
                    break;
                default:
                    return true; // control, percent-encoded or e-mail: user data
            }
        }
        if (digits > 0 && letters == 0) {
            return true; // 42, 2024-01-31, 1.5, 123_456
        }
        if (length >= LONG_TOKEN && nonHex == 0) {
            return true; // hex hash or object id
        }
        if (length == 36 && isUuid(s, from)) {
            return true;
        }
        return length >= LONG_TOKEN && digits > 0 && tokenAlphabet; // base64(url) tokens, ULIDs
    }

    private static boolean isUuid(String s, int from) {
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(from + i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (c >= 128 || (CLASSES[c] != DIGIT && CLASSES[c] != HEX_LETTER)) {
                return false;
            }
        }
        return true;
    }
}
