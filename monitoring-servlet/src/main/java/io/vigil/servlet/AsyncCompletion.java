package io.vigil.servlet;

import io.micrometer.core.instrument.LongTaskTimer;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Records an asynchronous request once, at {@code onComplete}, which the container calls after the work
 * completed, timed out or failed (a timeout or error is noted first so the right tags are used).
 */
final class AsyncCompletion implements AsyncListener {

    private final RequestRecorder recorder;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final long start;
    private final String method;
    private final LongTaskTimer.Sample active;
    private final HttpServletRequest passedRequest;
    private final HttpServletResponse passedResponse;
    private volatile Throwable failure;
    private volatile boolean timedOut;
    private volatile boolean recorded;

    AsyncCompletion(RequestRecorder recorder, HttpServletRequest request, HttpServletResponse response, long start,
            String method, LongTaskTimer.Sample active, HttpServletRequest passedRequest,
            HttpServletResponse passedResponse) {
        this.recorder = recorder;
        this.request = request;
        this.response = response;
        this.start = start;
        this.method = method;
        this.active = active;
        this.passedRequest = passedRequest;
        this.passedResponse = passedResponse;
    }

    @Override
    public void onComplete(AsyncEvent event) {
        if (recorded) {
            return;
        }
        recorded = true;
        recorder.record(request, response, start, method, active, failure, timedOut, passedRequest, passedResponse);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        timedOut = true;
    }

    @Override
    public void onError(AsyncEvent event) {
        if (event.getThrowable() != null) {
            failure = ExceptionNames.unwrapContainer(event.getThrowable());
        }
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // startAsync() again (after an async dispatch) drops listeners unless they re-register.
        event.getAsyncContext().addListener(this);
    }
}
