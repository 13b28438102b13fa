package io.vigil.servlet;

import jakarta.servlet.UnavailableException;

import java.lang.reflect.Method;
import java.util.Set;

/**
 * The status a container sends for an exception that left the filter chain before the response was committed:
 * not always 500. Containers turn their own "bad request" exceptions into a client error — Jetty's
 * {@code BadMessageException} (any {@code org.eclipse.jetty.http.HttpException}: a malformed or oversized form,
 * too many form keys, an unknown charset) with its code, Tomcat's {@code InvalidParameterException} with its
 * error code and its {@code BadRequestException} with 400 — and the servlet API's {@link UnavailableException}
 * becomes 503. Recording 500 for those would let any client drive the 5xx ratio; so the filter records what
 * goes on the wire.
 *
 * <p>Only these exact container types are recognised (by name, so the filter needs neither container on its
 * class path): an application exception that happens to have a {@code getCode()} is not read. Runs only when
 * the chain threw; the reflective read of the code is resolved once per exception class.
 */
final class WireStatus {

    /** Exception types (classes or interfaces) whose {@code int} accessor is the status the container sends. */
    private static final Set<String> WITH_CODE = Set.of("org.eclipse.jetty.http.HttpException",
            "org.apache.tomcat.util.http.InvalidParameterException");
    /** Tomcat's "the request body was malformed": its connector answers 400. */
    private static final Set<String> BAD_REQUEST = Set.of("org.apache.coyote.BadRequestException",
            "org.apache.catalina.connector.BadRequestException");

    private static final Method NONE;

    static {
        try {
            NONE = Object.class.getMethod("hashCode");
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Per exception class: the status accessor, {@link #NONE} for none, null for a plain 400 type. */
    private static final ClassValue<Method> ACCESSOR = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            return accessor(type);
        }
    };

    private WireStatus() {
    }

    /** The status sent for {@code failure} (walking a few levels of causes), 500 when none is known. */
    static int of(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; depth < 6 && current != null; depth++) {
            if (current instanceof UnavailableException) {
                return 503;
            }
            Method accessor = ACCESSOR.get(current.getClass());
            if (accessor == null) {
                return 400;
            }
            if (accessor != NONE) {
                int code = code(accessor, current);
                if (code >= 400 && code < 600) {
                    return code;
                }
            }
            Throwable cause = current.getCause();
            current = cause == current ? null : cause;
        }
        return 500;
    }

    private static int code(Method accessor, Throwable error) {
        try {
            Object value = accessor.invoke(error);
            return value instanceof Integer ? (Integer) value : -1;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    private static Method accessor(Class<?> type) {
        for (Class<?> c = type; c != null && c != Throwable.class; c = c.getSuperclass()) {
            if (BAD_REQUEST.contains(c.getName())) {
                return null;
            }
            if (WITH_CODE.contains(c.getName())) {
                return method(c, "getErrorCode");
            }
            for (Class<?> implemented : c.getInterfaces()) {
                if (WITH_CODE.contains(implemented.getName())) {
                    return method(implemented, "getCode");
                }
            }
        }
        return NONE;
    }

    private static Method method(Class<?> type, String name) {
        try {
            Method method = type.getMethod(name);
            return method.getReturnType() == int.class ? method : NONE;
        } catch (NoSuchMethodException | SecurityException e) {
            return NONE;
        }
    }
}
