package io.vigil.core.alert;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Label sets as Prometheus' {@code model.LabelSet} treats them, so that ids and keys computed here are the ones
 * Alertmanager computes: the fingerprint (64-bit FNV-1a over the UTF-8 bytes of the names in byte order, each
 * name and value followed by the separator byte 0xff), its 16-hex-digit rendering, the {@code {a="b", c="d"}}
 * rendering with Go's {@code %q} quoting used in group keys, and the order in which Alertmanager lists alerts.
 */
final class LabelSets {

    /** Go compares strings byte-wise in UTF-8, which is code point order; Java's compareTo is UTF-16 order. */
    static final Comparator<String> CODE_POINT_ORDER = LabelSets::compareCodePoints;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final int SEPARATOR = 0xff;

    private LabelSets() {
    }

    static int compareCodePoints(String a, String b) {
        if (a == b) {
            return 0;
        }
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) {
                if (ca >= 0xD800 && cb >= 0xD800) {
                    // UTF-16 puts surrogates (supplementary code points) below U+E000..U+FFFF; code point order
                    // puts them above: shift both ranges into code point order.
                    return Integer.compare(codePointRank(ca), codePointRank(cb));
                }
                return ca - cb;
            }
        }
        return a.length() - b.length();
    }

    private static int codePointRank(char c) {
        return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }

    /** Alertmanager 0.25 accepts only Prometheus' classic label names. */
    static boolean isValidName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            if (!letter && !(i > 0 && c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** {@code model.LabelSet.Fingerprint()}: names must already be in code point order. */
    static long fingerprint(SortedMap<String, String> labels) {
        long hash = FNV_OFFSET;
        for (Map.Entry<String, String> label : labels.entrySet()) {
            hash = add(hash, label.getKey());
            hash = addByte(hash, SEPARATOR);
            hash = add(hash, label.getValue());
            hash = addByte(hash, SEPARATOR);
        }
        return hash;
    }

    private static long add(long hash, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            hash = addByte(hash, b & 0xff);
        }
        return hash;
    }

    private static long addByte(long hash, int b) {
        return (hash ^ b) * FNV_PRIME;
    }

    /** {@code model.Fingerprint.String()}: {@code %016x}. */
    static String hex(long fingerprint) {
        String digits = Long.toHexString(fingerprint);
        return "0".repeat(16 - digits.length()) + digits;
    }

    /**
     * {@code model.LabelSet.String()} as in prometheus/common since v0.50 (current Alertmanager): names in order,
     * values quoted like Go's {@code strconv.Quote}. Alertmanager 0.25 (common v0.38) sorted the whole
     * {@code name="value"} strings instead, which differs only when a name is another name followed by a digit
     * ({@code a1} before {@code a}).
     */
    static String format(SortedMap<String, String> labels) {
        StringBuilder out = new StringBuilder(16 * labels.size() + 2).append('{');
        boolean first = true;
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            out.append(label.getKey()).append('=');
            goQuote(label.getValue(), out);
        }
        return out.append('}').toString();
    }

    /** Go's {@code strconv.Quote}: printable runes stay, the rest are escaped. */
    static void goQuote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 0x07 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x0b -> out.append("\\v");
                default -> {
                    if (isGoPrintable(cp)) {
                        out.appendCodePoint(cp);
                    } else if (cp < ' ' || cp == 0x7f) {
                        out.append("\\x").append(hexDigits(cp, 2));
                    } else if (cp < 0x10000) {
                        out.append("\\u").append(hexDigits(cp, 4));
                    } else {
                        out.append("\\U").append(hexDigits(cp, 8));
                    }
                }
            }
        }
        out.append('"');
    }

    private static String hexDigits(int value, int width) {
        String digits = Integer.toHexString(value);
        return "0".repeat(Math.max(0, width - digits.length())) + digits;
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean isGoPrintable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                    Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                    Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
                    Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION,
                    Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                    Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /**
     * {@code model.LabelSet.Before}: fewer labels first, then the first differing value over the union of names
     * in order, a missing name sorting first.
     */
    static boolean before(Map<String, String> a, Map<String, String> b) {
        if (a.size() != b.size()) {
            return a.size() < b.size();
        }
        TreeSet<String> names = new TreeSet<>(CODE_POINT_ORDER);
        names.addAll(a.keySet());
        names.addAll(b.keySet());
        for (String name : names) {
            String av = a.get(name);
            if (av == null) {
                return true;
            }
            String bv = b.get(name);
            if (bv == null) {
                return false;
            }
            int c = compareCodePoints(av, bv);
            if (c != 0) {
                return c < 0;
            }
        }
        return false;
    }

    /** Alertmanager's {@code types.AlertSlice} order: by {@code job}, then {@code instance}, then the labels. */
    static final Comparator<Alert> ALERT_ORDER = (x, y) -> {
        for (String key : List.of("job", "instance")) {
            String xv = x.labels().get(key);
            String yv = y.labels().get(key);
            if (xv == null && yv == null) {
                continue;
            }
            if (xv == null) {
                return 1;
            }
            if (yv == null) {
                return -1;
            }
            int c = compareCodePoints(xv, yv);
            if (c != 0) {
                return c;
            }
        }
        if (before(x.labels(), y.labels())) {
            return -1;
        }
        return before(y.labels(), x.labels()) ? 1 : 0;
    };

    static List<String> sortedCopy(Iterable<String> names) {
        List<String> out = new ArrayList<>();
        names.forEach(out::add);
        out.sort(CODE_POINT_ORDER);
        return out;
    }
}
