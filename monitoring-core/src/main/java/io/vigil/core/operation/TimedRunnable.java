package io.vigil.core.operation;

/** A {@link Runnable} measured on every run, made by {@link Operations#timed(String, Runnable)}. */
final class TimedRunnable implements Runnable {

    /** {@code null} when Vigil could not set up the name: the task then runs unmeasured. */
    final OperationMeters meters;
    final Runnable task;

    TimedRunnable(OperationMeters meters, Runnable task) {
        this.meters = meters;
        this.task = task;
    }

    @Override
    public void run() {
        if (meters == null) {
            task.run();
        } else {
            meters.run(task);
        }
    }

    @Override
    public String toString() {
        return "timed(" + (meters == null ? "?" : meters.name()) + ", " + task + ")";
    }
}
