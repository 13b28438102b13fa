package io.vigil.core.operation;

/**
 * A task handed to a monitored executor: records how long it waited past its due time, then its run. A task made
 * by {@link Operations#timed} keeps its own name and records its own run; any other is measured under the
 * executor's name. A periodic task moves its due time after each run; its runs never overlap (the executor
 * guarantees it), so plain fields suffice.
 */
final class QueuedRunnable implements Runnable {

    private final OperationMeters meters;
    private final Runnable task;
    private final boolean timedItself;
    /** 0 for a one-shot task; positive: fixed rate; negative: fixed delay (as the JDK's own scheduler). */
    private final long periodNanos;
    private long due;

    QueuedRunnable(OperationMeters meters, Runnable task, boolean timedItself, long due, long periodNanos) {
        this.meters = meters;
        this.task = task;
        this.timedItself = timedItself;
        this.due = due;
        this.periodNanos = periodNanos;
    }

    /** Wraps {@code task} for {@code executorMeters}' executor, due {@code delayNanos} from now. Never throws. */
    static Runnable of(OperationMeters executorMeters, Runnable task, long delayNanos, long periodNanos) {
        if (task instanceof TimedRunnable && ((TimedRunnable) task).meters != null) {
            OperationMeters own = ((TimedRunnable) task).meters;
            return new QueuedRunnable(own, task, true, due(own, delayNanos), periodNanos);
        }
        if (executorMeters == null) {
            return task;
        }
        return new QueuedRunnable(executorMeters, task, false, due(executorMeters, delayNanos), periodNanos);
    }

    private static long due(OperationMeters meters, long delayNanos) {
        long now = meters.now();
        return now == OperationMeters.NOT_STARTED ? now : now + Math.max(0, delayNanos);
    }

    @Override
    public void run() {
        long start = meters.now();
        if (start != OperationMeters.NOT_STARTED && due != OperationMeters.NOT_STARTED) {
            meters.queued(start - due);
        }
        try {
            if (timedItself) {
                task.run();
            } else {
                meters.run(task);
            }
        } finally {
            if (periodNanos > 0 && due != OperationMeters.NOT_STARTED) {
                due += periodNanos;
            } else if (periodNanos < 0) {
                long end = meters.now();
                due = end == OperationMeters.NOT_STARTED ? end : end - periodNanos;
            }
        }
    }

    /** The application's task, for {@code shutdownNow()}. */
    Runnable task() {
        return task;
    }

    @Override
    public String toString() {
        return task.toString();
    }
}
