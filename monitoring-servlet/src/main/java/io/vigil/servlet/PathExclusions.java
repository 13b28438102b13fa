package io.vigil.servlet;

import jakarta.servlet.http.HttpServletRequest;

import java.util.List;

/**
 * Paths the filter does not measure: {@code /metrics} (exactly that path) or {@code /health/**} (that path
 * and everything below it), matched against the request URI within the context, without allocating.
 */
final class PathExclusions {

    private final String[] exact;
    private final String[] prefixes;

    private PathExclusions(String[] exact, String[] prefixes) {
        this.exact = exact;
        this.prefixes = prefixes;
    }

    static PathExclusions of(List<String> patterns) {
        List<String> exact = new java.util.ArrayList<>();
        List<String> prefixes = new java.util.ArrayList<>();
        for (String pattern : patterns) {
            validate(pattern);
            if (pattern.endsWith("/**")) {
                prefixes.add(pattern.substring(0, pattern.length() - 3));
            } else {
                exact.add(pattern);
            }
        }
        return new PathExclusions(exact.toArray(new String[0]), prefixes.toArray(new String[0]));
    }

    static void validate(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("An exclusion is a path starting with '/', was " + pattern);
        }
        int wildcard = pattern.indexOf('*');
        if (wildcard >= 0 && !(pattern.endsWith("/**") && wildcard == pattern.length() - 2)) {
            throw new IllegalArgumentException("An exclusion is an exact path ('/metrics') or a path ending in"
                    + " '/**' ('/health/**'), was " + pattern);
        }
    }

    boolean isEmpty() {
        return exact.length == 0 && prefixes.length == 0;
    }

    boolean matches(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (uri == null) {
            return false;
        }
        String contextPath = request.getContextPath();
        int offset = contextPath == null ? 0 : contextPath.length();
        int length = uri.length() - offset;
        for (String path : exact) {
            if (length == path.length() && uri.startsWith(path, offset)) {
                return true;
            }
        }
        for (String prefix : prefixes) {
            if (uri.startsWith(prefix, offset)
                    && (length == prefix.length() || uri.charAt(offset + prefix.length()) == '/')) {
                return true;
            }
        }
        return false;
    }
}
