package io.vigil.core.operation;

import java.util.concurrent.Callable;

/** As {@link QueuedRunnable} for a one-shot {@link Callable}. */
final class QueuedCallable<T> implements Callable<T> {

    private final OperationMeters meters;
    private final Callable<T> task;
    private final boolean timedItself;
    private final long due;

    private QueuedCallable(OperationMeters meters, Callable<T> task, boolean timedItself, long due) {
        this.meters = meters;
        this.task = task;
        this.timedItself = timedItself;
        this.due = due;
    }

    /** Wraps {@code task} for {@code executorMeters}' executor, due {@code delayNanos} from now. Never throws. */
    static <T> Callable<T> of(OperationMeters executorMeters, Callable<T> task, long delayNanos) {
        if (task instanceof TimedCallable && ((TimedCallable<T>) task).meters != null) {
            OperationMeters own = ((TimedCallable<T>) task).meters;
            return new QueuedCallable<>(own, task, true, due(own, delayNanos));
        }
        if (executorMeters == null) {
            return task;
        }
        return new QueuedCallable<>(executorMeters, task, false, due(executorMeters, delayNanos));
    }

    private static long due(OperationMeters meters, long delayNanos) {
        long now = meters.now();
        return now == OperationMeters.NOT_STARTED ? now : now + Math.max(0, delayNanos);
    }

    @Override
    public T call() throws Exception {
        long start = meters.now();
        if (start != OperationMeters.NOT_STARTED && due != OperationMeters.NOT_STARTED) {
            meters.queued(start - due);
        }
        return timedItself ? task.call() : meters.call(task);
    }

    @Override
    public String toString() {
        return task.toString();
    }
}
