package io.vigil.servlet;

import io.vigil.core.cardinality.TagLimiter;
import io.vigil.core.normalize.HttpMethods;
import io.vigil.core.normalize.PathNormalizer;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;

import java.util.List;

/**
 * The {@code uri} tag, with Spring Boot's values so existing dashboards match, and never the raw text of a path
 * a client chose.
 *
 * <p>Trusted values — declared by the application, a set no client can grow — come first: the route template a
 * framework published in a request attribute; {@code REDIRECTION} for 3xx and {@code NOT_FOUND} for 404; else
 * the servlet mapping that served the request: its exact pattern ({@code /hello}), {@code root} for the context
 * root, the pattern of a prefix or extension mapping ({@code /orders/*}, {@code *.do}); {@code UNKNOWN} for the
 * default servlet, which serves any path. They pass the trusted limiter.
 *
 * <p>Untrusted values are a normalized raw path ({@link PathNormalizer}: ids become {@code {id}}), used only
 * where the application opted in for a mapping ({@code pathTemplates}) and only for a response the client could
 * not choose (not a 4xx, not an invented method): they pass their own limiter, so however many paths a client
 * invents they fill only that cap and never take a slot from a declared route.
 */
final class UriTagResolver {

    static final String ROOT = "root";
    static final String NOT_FOUND = "NOT_FOUND";
    static final String REDIRECTION = "REDIRECTION";
    static final String UNKNOWN = "UNKNOWN";

    /** Per-thread buffer the path is normalized into, so a known template costs no allocation. */
    private static final ThreadLocal<PathNormalizer.Buffer> SCRATCH =
            ThreadLocal.withInitial(PathNormalizer.Buffer::new);

    private final String[] routeAttributes;
    private final String[] pathTemplates;
    private final TagLimiter uriLimiter;
    private final TagLimiter untrustedUriLimiter;
    private final TagLimiter activeUriLimiter;

    UriTagResolver(List<String> routeAttributes, List<String> pathTemplates, TagLimiter uriLimiter,
            TagLimiter untrustedUriLimiter, TagLimiter activeUriLimiter) {
        this.routeAttributes = routeAttributes.toArray(new String[0]);
        this.pathTemplates = pathTemplates.toArray(new String[0]);
        this.uriLimiter = uriLimiter;
        this.untrustedUriLimiter = untrustedUriLimiter;
        this.activeUriLimiter = activeUriLimiter;
    }

    /** The {@code uri} of a route a framework published ({@link #route}). */
    String routeTag(String route) {
        return route.isEmpty() || "/".equals(route) ? ROOT : uriLimiter.limit(route);
    }

    /**
     * How many distinct published routes a cache from route to meters may hold: as many as the trusted limiter
     * admits, plus the two spellings of the root. A route the cache has no room for is resolved each time, as
     * before the cache; its tag is the same.
     */
    int routeCapacity() {
        return uriLimiter.limit() + 2;
    }

    /**
     * The {@code uri} of a finished request that published no route ({@link #route} was null); {@code method} is
     * the already normalized method tag.
     */
    String resolveUnrouted(HttpServletRequest request, int status, String method) {
        if (status >= 300 && status < 400) {
            return REDIRECTION;
        }
        if (status == 404) {
            return NOT_FOUND;
        }
        HttpServletMapping mapping = request.getHttpServletMapping();
        MappingMatch match = mapping == null ? null : mapping.getMappingMatch();
        if (match == null) {
            return UNKNOWN;
        }
        String pattern = mapping.getPattern(); // declared by the deployment, never by the client
        switch (match) {
            case CONTEXT_ROOT:
                return ROOT;
            case EXACT:
                return pattern == null || pattern.isEmpty() || "/".equals(pattern) ? ROOT : uriLimiter.limit(pattern);
            case DEFAULT:
                if (isRootPath(request)) {
                    return ROOT;
                }
                return templated(pattern, status, method) ? fromPath(request) : UNKNOWN;
            default: // PATH, EXTENSION
                if (pattern == null || pattern.isEmpty()) {
                    return UNKNOWN;
                }
                return templated(pattern, status, method) ? fromPath(request) : uriLimiter.limit(pattern);
        }
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

    /**
     * Whether this mapping's paths may become templates for this answer: the application opted in for the
     * mapping, and the client could not have chosen the answer — a 4xx (405 for a method the servlet lacks, 400
     * for garbage) or an invented method (501) says nothing about the application's routes.
     */
    private boolean templated(String pattern, int status, String method) {
        if (pathTemplates.length == 0 || (status >= 400 && status < 500) || status == 501
                || HttpMethods.UNKNOWN.equals(method)) {
            return false;
        }
        for (String template : pathTemplates) {
            if (template.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /** The route template a framework published in one of the route attributes, or null. */
    String route(HttpServletRequest request) {
        for (String attribute : routeAttributes) {
            Object value = request.getAttribute(attribute);
            if (value != null) {
                // Spring MVC publishes a String or a PathPattern; toString() is the template for both.
                return value instanceof String ? (String) value : value.toString();
            }
        }
        return null;
    }

    /** Whether the path inside the context is exactly {@code /}. */
    private static boolean isRootPath(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (uri == null) {
            return false;
        }
        int from = contextLength(request, uri);
        return uri.length() == from + 1 && uri.charAt(from) == '/';
    }

    private static int contextLength(HttpServletRequest request, String uri) {
        String contextPath = request.getContextPath();
        return contextPath == null || contextPath.isEmpty() || !uri.startsWith(contextPath) ? 0 : contextPath.length();
    }

    /** The normalized path, through the untrusted limiter. */
    private String fromPath(HttpServletRequest request) {
        // The raw (undecoded) URI: %2F and friends stay inside a segment, and the normalizer turns any
        // percent-encoded segment into {id}. Once its template is known, a path costs no allocation.
        String uri = request.getRequestURI();
        if (uri == null) {
            return UNKNOWN;
        }
        PathNormalizer.Buffer scratch = SCRATCH.get();
        int length = PathNormalizer.normalize(uri, contextLength(request, uri), scratch);
        char[] template = scratch.chars();
        if (length == 1 && template[0] == '/') {
            return ROOT;
        }
        return untrustedUriLimiter.limit(template, length);
    }
}
