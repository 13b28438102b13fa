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
 * <p>A path that is already a clean template is returned as is, without allocating. The path is read once, in
 * one pass that classifies each segment as it copies it ({@link #normalize(String, int, Buffer)}).
 */
public final class PathNormalizer {

    /** The longest path read and the longest template produced. */
    public static final int MAX_LENGTH = 1024;

    /** What identifier-like segments become. */
    public static final String ID = "{id}";

    private static final int MAX_SEGMENT = 64;
    private static final int LONG_TOKEN = 16;

    /** The working memory of the String and StringBuilder forms, so a clean path allocates nothing. */
    private static final ThreadLocal<Buffer> SCRATCH = ThreadLocal.withInitial(Buffer::new);

    private PathNormalizer() {
    }

    public static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        Buffer buffer = SCRATCH.get();
        int length = normalize(path, 0, buffer);
        return length == path.length() && buffer.matches(path) ? path : new String(buffer.out, 0, length);
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
        Buffer buffer = SCRATCH.get();
        int length = normalize(path, from, buffer);
        if (from == 0 && length == path.length() && buffer.matches(path)) {
            return path;
        }
        return scratch.append(buffer.out, 0, length);
    }

    /**
     * The template of {@code path} from index {@code from} on, written into {@code buffer} in one pass over the
     * characters, with no allocation once the buffer has grown to the paths seen: returns the template's length,
     * its characters are {@link Buffer#chars()}. For a hot path: keep one buffer per thread and hand the result to
     * {@link io.vigil.core.cardinality.TagLimiter#limit(char[], int)}.
     */
    public static int normalize(String path, int from, Buffer buffer) {
        if (path == null || from >= path.length()) {
            buffer.out[0] = '/';
            return 1;
        }
        int length = Math.min(path.length(), from + MAX_LENGTH) - from;
        char[] in = buffer.input(length);
        path.getChars(from, from + length, in, 0);   // one bulk copy: the scan then reads a plain array
        char[] out = buffer.out;
        int n = 0;
        int start = 0;
        while (start < length) {
            // The route part of the segment, up to / ? # or ; — classified while scanning: one table load and
            // one OR per character, no second pass, one test per character for the end. The table covers every
            // char, so there is no test for non-ASCII in the loop (−45 ns on a 63-character path).
            int end = start;
            int flags = 0;
            char c = 0;
            while (end < length) {
                c = in[end];
                int f = FLAGS[c];
                if ((f & STOP) != 0) {
                    break;
                }
                flags |= f;
                end++;
            }
            int segmentEnd = end;
            if (end < length && c == ';') {
                // matrix parameters (;jsessionid=…) are cut: skip to the end of the segment
                while (++end < length) {
                    c = in[end];
                    if (c == '/' || c == '?' || c == '#') {
                        break;
                    }
                }
            }
            boolean done = end < length && c != '/';   // ? or #: the path is over
            int size = segmentEnd - start;
            if (size > 0) {
                if (size == 1 && in[start] == '.') {
                    // "." names the current segment: nothing to add
                } else if (size == 2 && in[start] == '.' && in[start + 1] == '.') {
                    n = lastSlash(out, n); // drop the previous segment; never above the root
                } else {
                    boolean id = isIdentifier(in, start, size, flags);
                    out = buffer.room(n, id ? 1 + ID.length() : 1 + size);
                    out[n++] = '/';
                    // Plain stores, not System.arraycopy: segments are a few characters, where the copy stub's
                    // fixed cost is most of the work.
                    if (id) {
                        out[n] = '{';
                        out[n + 1] = 'i';
                        out[n + 2] = 'd';
                        out[n + 3] = '}';
                        n += 4;
                    } else {
                        for (int i = 0; i < size; i++) {
                            out[n + i] = in[start + i];
                        }
                        n += size;
                    }
                }
            }
            if (done) {
                break;
            }
            start = end + 1;
        }
        if (n == 0) {
            out[n++] = '/';
        }
        return Math.min(n, MAX_LENGTH);
    }

    /**
     * Working memory of {@link #normalize(String, int, Buffer)}: the path's characters and the template's. Not
     * thread-safe; it grows to the longest template produced (at most a few KiB) and stays that size.
     */
    public static final class Buffer {
        private char[] in = new char[128];
        private char[] out = new char[128];

        /** The template's characters, valid up to the length the last {@code normalize} returned. */
        public char[] chars() {
            return out;
        }

        char[] input(int length) {
            if (in.length < length) {
                in = new char[Math.max(length, in.length * 2)];
            }
            return in;
        }

        /** The output array with room for {@code more} characters past {@code used}. */
        char[] room(int used, int more) {
            if (used + more > out.length) {
                out = java.util.Arrays.copyOf(out, Math.max(used + more, out.length * 2));
            }
            return out;
        }

        boolean matches(String path) {
            for (int i = 0; i < path.length(); i++) {
                if (out[i] != path.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static int lastSlash(char[] out, int n) {
        for (int i = n - 1; i > 0; i--) {
            if (out[i] == '/') {
                return i;
            }
        }
        return 0;
    }

    // What each ASCII character says about a segment, as bits OR-ed over the segment on the hot path.
    private static final int DIGIT = 1;
    private static final int LETTER = 2;          // a-z, A-Z (hex letters included)
    private static final int NON_HEX = 4;         // anything but 0-9, a-f, A-F
    private static final int PUNCTUATION = 8;     // outside the base64(url) token alphabet
    private static final int USER_DATA = 16;      // control characters, % (encoded data), @ (e-mail), non-ASCII
    private static final int STOP = 32;           // / ? # ; end the segment or its route part
    /** Indexed by any char (64 KiB, of which the loop touches the ASCII part): non-ASCII is user data. */
    private static final byte[] FLAGS = new byte[Character.MAX_VALUE + 1];

    static {
        java.util.Arrays.fill(FLAGS, 128, FLAGS.length, (byte) USER_DATA);
        for (int c = 0; c < 128; c++) {
            int flags;
            if (c == '/' || c == '?' || c == '#' || c == ';') {
                flags = STOP;
            } else if (c < 0x20 || c == 0x7f || c == '%' || c == '@') {
                flags = USER_DATA;
            } else if (c >= '0' && c <= '9') {
                flags = DIGIT;
            } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                flags = LETTER;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                flags = LETTER | NON_HEX;
            } else if (c == '-' || c == '_' || c == '=' || c == '.' || c == '+' || c == '~') {
                flags = NON_HEX;   // allowed inside base64(url) tokens
            } else {
                flags = NON_HEX | PUNCTUATION;
            }
            FLAGS[c] = (byte) flags;
        }
    }

    /**
     * Whether the segment of {@code size} characters from {@code from}, whose characters' {@link #FLAGS} OR to
     * {@code flags}, carries an identifier or user data rather than a route word.
     */
    private static boolean isIdentifier(char[] s, int from, int size, int flags) {
        if ((flags & USER_DATA) != 0 || size > MAX_SEGMENT) {
            return true; // control, percent-encoded, e-mail, non-ASCII, or too long for a route word
        }
        boolean digits = (flags & DIGIT) != 0;
        if (digits && (flags & LETTER) == 0) {
            return true; // 42, 2024-01-31, 1.5, 123_456
        }
        if (size >= LONG_TOKEN && (flags & NON_HEX) == 0) {
            return true; // hex hash or object id
        }
        if (size >= LONG_TOKEN && digits && (flags & PUNCTUATION) == 0) {
            return true; // base64(url) tokens, ULIDs, and the UUIDs with a digit: no second pass over them
        }
        return size == 36 && isUuid(s, from);
    }

    private static boolean isUuid(char[] s, int from) {
        for (int i = 0; i < 36; i++) {
            char c = s[from + i];
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if ((FLAGS[c] & NON_HEX) != 0) {
                return false;
            }
        }
        return true;
    }
}
