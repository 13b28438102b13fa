package io.vigil.core.operation;

import java.util.function.Supplier;

/** A {@link Supplier} measured on every call, made by {@link Operations#timedSupplier}. */
final class TimedSupplier<T> implements Supplier<T> {

    /** {@code null} when Vigil could not set up the name: the task then runs unmeasured. */
    private final OperationMeters meters;
    private final Supplier<T> task;

    TimedSupplier(OperationMeters meters, Supplier<T> task) {
        this.meters = meters;
        this.task = task;
    }

    @Override
    public T get() {
        return meters == null ? task.get() : meters.get(task);
    }

    @Override
    public String toString() {
        return "timed(" + (meters == null ? "?" : meters.name()) + ", " + task + ")";
    }
}
