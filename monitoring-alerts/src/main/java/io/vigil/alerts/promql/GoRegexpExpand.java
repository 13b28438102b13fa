package io.vigil.alerts.promql;

import com.google.re2j.Matcher;

import java.util.Map;

/**
 * Go's {@code regexp.Expand} template syntax, which {@code label_replace} uses: {@code $1}, {@code ${1}},
 * {@code $name}, {@code ${name}}, {@code $$} for a dollar; a name runs as far as letters, digits and
 * underscores go ({@code $1x} is the group named "1x"), an unknown group expands to nothing, a malformed
 * reference is kept as text.
 */
final class GoRegexpExpand {

    private GoRegexpExpand() {
    }

    static String expand(String template, Matcher match, Map<String, Integer> namedGroups) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int dollar = template.indexOf('$', i);
            if (dollar < 0) {
                out.append(template, i, template.length());
                break;
            }
            out.append(template, i, dollar);
            i = dollar + 1;
            if (i < template.length() && template.charAt(i) == '$') {
                out.append('$');
                i++;
                continue;
            }
            boolean brace = i < template.length() && template.charAt(i) == '{';
            int nameStart = brace ? i + 1 : i;
            int k = nameStart;
            while (k < template.length()) {
                char ch = template.charAt(k);
                if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
                    break;
                }
                k++;
            }
            if (k == nameStart || brace && (k >= template.length() || template.charAt(k) != '}')) {
                out.append('$'); // malformed: the dollar is text
                continue;
            }
            String name = template.substring(nameStart, k);
            i = brace ? k + 1 : k;
            int group = groupNumber(name);
            if (group < 0) {
                Integer named = namedGroups.get(name);
                group = named == null ? -1 : named;
            }
            if (group >= 0 && group <= match.groupCount()) {
                String value = match.group(group);
                if (value != null) {
                    out.append(value);
                }
            }
        }
        return out.toString();
    }

    /** The number a name spells, or -1 (leading zeros are not numbers, as in Go). */
    private static int groupNumber(String name) {
        int num = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9' || num >= 100_000_000) {
                return -1;
            }
            num = num * 10 + (c - '0');
        }
        if (name.charAt(0) == '0' && name.length() > 1) {
            return -1;
        }
        return num;
    }
}
