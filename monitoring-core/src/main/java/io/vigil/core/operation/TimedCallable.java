package io.vigil.core.operation;

import java.util.concurrent.Callable;

/** A {@link Callable} measured on every call, made by {@link Operations#timed(String, Callable)}. */
final class TimedCallable<T> implements Callable<T> {

    /** {@code null} when Vigil could not set up the name: the task then runs unmeasured. */
    final OperationMeters meters;
    final Callable<T> task;

    TimedCallable(OperationMeters meters, Callable<T> task) {
        this.meters = meters;
        this.task = task;
    }

    @Override
    public T call() throws Exception {
        return meters == null ? task.call() : meters.call(task);
    }

    @Override
    public String toString() {
        return "timed(" + (meters == null ? "?" : meters.name()) + ", " + task + ")";
    }
}
