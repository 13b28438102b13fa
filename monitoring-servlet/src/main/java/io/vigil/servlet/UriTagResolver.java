package io.vigil.servlet;

import io.vigil.core.cardinality.TagLimiter;
import io.vigil.core.normalize.PathNormalizer;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;

import java.util.List;

/**
 * The {@code uri} tag, with Spring Boot's values so existing dashboards match: the route template when the
 * framework published one in a request attribute; else {@code REDIRECTION} for 3xx and {@code NOT_FOUND} for
 * 404 (so scanners probing random paths make one series, not thousands); else the servlet's exact mapping or
 * the normalized path ({@link PathNormalizer}: ids become {@code {id}}); {@code root} for {@code /}. Every
 * value then passes the cardinality guard, so the worst case is the cap plus {@code OTHER}.
 */
final class UriTagResolver {

    static final String ROOT = "root";
    static final String NOT_FOUND = "NOT_FOUND";
    static final String REDIRECTION = "REDIRECTION";
    static final String UNKNOWN = "UNKNOWN";

    /** Per-thread buffer the path is normalized into, so a known template costs no allocation. */
    private static final ThreadLocal<StringBuilder> SCRATCH = ThreadLocal.withInitial(() -> new StringBuilder(128));

    private final String[] routeAttributes;
    private final TagLimiter uriLimiter;
    private final TagLimiter activeUriLimiter;

    UriTagResolver(List<String> routeAttributes, TagLimiter uriLimiter, TagLimiter activeUriLimiter) {
        this.routeAttributes = routeAttributes.toArray(new String[0]);
        this.uriLimiter = uriLimiter;
        this.activeUriLimiter = activeUriLimiter;
    }

    /** The {@code uri} of a finished request. */
    String resolve(HttpServletRequest request, int status) {
        String route = route(request);
        CharSequence uri;
        if (route != null) {
            uri = route.isEmpty() || "/".equals(route) ? ROOT : route;
        } else if (status >= 300 && status < 400) {
            uri = REDIRECTION;
        } else if (status == 404) {
            uri = NOT_FOUND;
        } else {
            uri = fromPath(request);
        }
        return uriLimiter.limit(uri);
    }

    /**
     * The {@code uri} of a request in flight ({@code http.server.requests.active}): the route is not known
     * before the application ran, so it is the servlet mapping that serves it ({@code /api/*}, {@code /hello},
     * {@code /} for the default servlet) — a set fixed by the deployment that no client can grow.
     */
    String resolveActive(HttpServletRequest request) {
        HttpServletMapping mapping = request.getHttpServletMapping();
        if (mapping == null || mapping.getMappingMatch() == null) {
            return activeUriLimiter.limit(UNKNOWN);
        }
        if (mapping.getMappingMatch() == MappingMatch.CONTEXT_ROOT) {
            return activeUriLimiter.limit(ROOT);
        }
        String pattern = mapping.getPattern();
        return activeUriLimiter.limit(pattern == null || pattern.isEmpty() ? ROOT : pattern);
    }

    private String route(HttpServletRequest request) {
        for (String attribute : routeAttributes) {
            Object value = request.getAttribute(attribute);
            if (value != null) {
                // Spring MVC publishes a String or a PathPattern; toString() is the template for both.
                return value instanceof String ? (String) value : value.toString();
            }
        }
        return null;
    }

    private static CharSequence fromPath(HttpServletRequest request) {
        HttpServletMapping mapping = request.getHttpServletMapping();
        if (mapping != null && mapping.getMappingMatch() == MappingMatch.EXACT) {
            String pattern = mapping.getPattern(); // declared by the deployment, never by the client
            return "/".equals(pattern) ? ROOT : pattern;
        }
        if (mapping != null && mapping.getMappingMatch() == MappingMatch.CONTEXT_ROOT) {
            return ROOT;
        }
        // The raw (undecoded) URI: %2F and friends stay inside a segment, and the normalizer turns any
        // percent-encoded segment into {id}. Once its template is known, a path costs no allocation.
        String uri = request.getRequestURI();
        if (uri == null) {
            return UNKNOWN;
        }
        String contextPath = request.getContextPath();
        int from = contextPath == null || contextPath.isEmpty() || !uri.startsWith(contextPath)
                ? 0 : contextPath.length();
        CharSequence normalized = PathNormalizer.normalize(uri, from, SCRATCH.get());
        return normalized.length() == 1 && normalized.charAt(0) == '/' ? ROOT : normalized;
    }
}
