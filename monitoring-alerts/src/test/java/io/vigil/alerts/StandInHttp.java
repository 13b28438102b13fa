package io.vigil.alerts;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.lang.reflect.Proxy;
import java.util.Collections;

/** Stand-in servlet request and response objects for driving the real {@code MonitoringFilter} without a container. */
final class StandInHttp {

    private StandInHttp() {
    }

    static HttpServletRequest request(String method, String uri) {
        return (HttpServletRequest) Proxy.newProxyInstance(StandInHttp.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI", "getServletPath" -> uri;
                    case "getContextPath", "getPathInfo" -> "";
                    case "getDispatcherType" -> DispatcherType.REQUEST;
                    case "getContentLengthLong" -> -1L;
                    case "getContentLength" -> -1;
                    case "getHeaderNames", "getAttributeNames", "getHeaders" -> Collections.emptyEnumeration();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> method + " " + uri;
                    default -> defaultValue(m.getReturnType());
                });
    }

    /** A response whose status is what the application sets. */
    static HttpServletResponse response() {
        int[] status = {200};
        return (HttpServletResponse) Proxy.newProxyInstance(StandInHttp.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "setStatus" -> {
                        status[0] = (Integer) args[0];
                        yield null;
                    }
                    case "sendError" -> {
                        status[0] = (Integer) args[0];
                        yield null;
                    }
                    case "getStatus" -> status[0];
                    case "getHeaderNames", "getHeaders" -> Collections.emptyList();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "response " + status[0];
                    default -> defaultValue(m.getReturnType());
                });
    }

    private static Object defaultValue(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }
}
