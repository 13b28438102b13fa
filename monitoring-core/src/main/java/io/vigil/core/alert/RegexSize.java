package io.vigil.core.alert;

/**
 * Go's RE2 refuses nested repetitions whose counts multiply past 1000 ({@code (a{1000}){1000}}: "invalid repeat
 * count"), which bounds the compiled program; re2j accepts them and would build a program of that product's size.
 * {@link Matcher} runs this check before compiling, with Go's message, so no matcher of a few characters — an API
 * filter or silence, a silence or inhibit rule or route loaded from a configuration file — can make re2j compile a
 * program of a billion instructions.
 */
final class RegexSize {

    static final int MAX_REPEAT = 1000;

    private RegexSize() {
    }

    /** @throws IllegalArgumentException when nested counted repetitions multiply past {@value #MAX_REPEAT} */
    static void check(String regex) {
        int[] stack = new int[regex.length() + 2];
        int depth = 0;
        stack[0] = 1;
        long last = 1;
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i += 2;
                last = 1;
                continue;
            }
            if (c == '[') {
                i = skipClass(regex, i);
                last = 1;
                continue;
            }
            if (c == '(') {
                stack[++depth] = 1;
                i++;
                continue;
            }
            if (c == ')' && depth > 0) {
                last = stack[depth--];
                stack[depth] = (int) Math.max(stack[depth], last);
                i++;
                continue;
            }
            if (c == '{') {
                int end = regex.indexOf('}', i);
                int count = end < 0 ? -1 : count(regex.substring(i + 1, end));
                if (count >= 0) {
                    long product = last * Math.max(count, 1);
                    if (product > MAX_REPEAT) {
                        throw new IllegalArgumentException("error parsing regexp: invalid repeat count: `"
                                + clip(regex.substring(i, end + 1)) + "`");
                    }
                    stack[depth] = (int) Math.max(stack[depth], product);
                    last = product;
                    i = end + 1;
                    continue;
                }
            }
            last = 1;
            i++;
        }
    }

    private static String clip(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }

    private static int skipClass(String regex, int start) {
        int i = start + 1;
        if (i < regex.length() && regex.charAt(i) == '^') {
            i++;
        }
        if (i < regex.length() && regex.charAt(i) == ']') {
            i++;
        }
        while (i < regex.length() && regex.charAt(i) != ']') {
            i += regex.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    /** The larger bound of {@code n}, {@code n,} or {@code n,m}; -1 when it is not a repetition. */
    private static int count(String body) {
        String[] parts = body.split(",", -1);
        if (parts.length > 2 || parts[0].isEmpty()) {
            return -1;
        }
        int max = -1;
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.length() > 7 || !part.chars().allMatch(Character::isDigit)) {
                return -1;
            }
            max = Math.max(max, Integer.parseInt(part));
        }
        return max;
    }
}
