package io.vigil.health;

import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;
import io.vigil.core.internal.InternalErrors;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Delivers status transitions to listeners on one daemon thread, in the order they were enqueued: the
 * check threads only enqueue, so a listener can neither slow down nor break the scheduler. The queue is
 * bounded; a transition that does not fit (listeners hopelessly behind) is counted as an internal error.
 */
final class ListenerDispatcher implements AutoCloseable {

    static final int QUEUE_CAPACITY = 10_000;

    private final List<HealthStatusListener> listeners = new CopyOnWriteArrayList<>();
    private final InternalErrors errors;
    private final ThreadPoolExecutor thread;

    ListenerDispatcher(InternalErrors errors) {
        this.errors = errors;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY), new DaemonThreadFactory(HealthRegistry.THREAD_PREFIX
                + "-listeners"));
    }

    void add(HealthStatusListener listener) {
        listeners.add(listener);
    }

    /** Called with the check's publish lock held, which is what keeps one check's transitions in order. */
    void transition(String check, HealthStatus previous, HealthResult result) {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            thread.execute(() -> deliver(check, previous, result));
        } catch (RejectedExecutionException full) {
            errors.record(full);
        }
    }

    private void deliver(String check, HealthStatus previous, HealthResult result) {
        for (HealthStatusListener listener : listeners) {
            try {
                listener.onStatusChange(check, previous, result);
            } catch (Throwable error) {
                errors.record(error);
            }
        }
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
