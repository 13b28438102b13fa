package io.vigil.alerts;

/**
 * Go's RE2 refuses nested repetitions whose counts multiply past 1000 ({@code (a{1000}){1000}}: "invalid repeat
 * count"), which bounds the compiled program; re2j accepts them and would build a program of that product's size.
 * This check refuses them first, with Go's message, so a filter or silence of a few characters cannot make the
 * API compile a regular expression of a billion instructions.
 */
final class RegexSize {

    static final int MAX_REPEAT = 1000;

    private RegexSize() {
    }

    /** @throws ApiError 400 when nested counted repetitions multiply past {@value #MAX_REPEAT} */
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
                        throw ApiError.badRequest("error parsing regexp: invalid repeat count: `"
                                + ApiJson.clip(regex.substring(i, end + 1)) + "`");
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
