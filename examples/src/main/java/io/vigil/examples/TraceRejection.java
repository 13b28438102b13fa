package io.vigil.examples;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code TRACE} with 405 on every path, before any servlet sees it: {@code HttpServlet.doTrace} echoes
 * the request headers, {@code Authorization} and {@code Cookie} included, which lets a script running in a
 * browser read credentials it could not read otherwise (cross-site tracing).
 */
final class TraceRejection extends Handler.Wrapper {

    /** Every method a route of the demo answers; TRACE is none of them. */
    static final String ALLOWED = "GET, HEAD, POST, OPTIONS";

    TraceRejection(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!"TRACE".equals(request.getMethod())) {
            return super.handle(request, response, callback);
        }
        response.setStatus(HttpStatus.METHOD_NOT_ALLOWED_405);
        response.getHeaders().put(HttpHeader.ALLOW, ALLOWED);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        callback.succeeded();
        return true;
    }
}
