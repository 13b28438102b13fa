package io.vigil.core.operation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An executor whose tasks record queue wait and run time (made by {@link Operations#monitor}). Everything else is
 * the delegate's: its futures, its rejection, its shutdown.
 */
class MonitoredExecutorService implements ExecutorService {

    final Operations owner;
    private final ExecutorService delegate;
    /** The meters tasks without a name of their own are recorded under; {@code null}: they run unmeasured. */
    final OperationMeters executorMeters;

    MonitoredExecutorService(Operations owner, ExecutorService delegate, OperationMeters executorMeters) {
        this.owner = owner;
        this.delegate = delegate;
        this.executorMeters = executorMeters;
    }

    Runnable wrap(Runnable task, long delayNanos, long periodNanos) {
        Objects.requireNonNull(task, "task");   // as the JDK's executors: a null task is the caller's error
        try {
            return QueuedRunnable.of(executorMeters, task, delayNanos, periodNanos);
        } catch (Throwable error) {
            owner.errors.record(error);
            return task;
        }
    }

    <T> Callable<T> wrap(Callable<T> task, long delayNanos) {
        Objects.requireNonNull(task, "task");
        try {
            return QueuedCallable.of(executorMeters, task, delayNanos);
        } catch (Throwable error) {
            owner.errors.record(error);
            return task;
        }
    }

    private <T> List<Callable<T>> wrapAll(Collection<? extends Callable<T>> tasks) {
        List<Callable<T>> wrapped = new ArrayList<>(tasks.size());
        for (Callable<T> task : tasks) {
            wrapped.add(wrap(task, 0));
        }
        return wrapped;
    }

    @Override
    public void execute(Runnable command) {
        delegate.execute(wrap(command, 0, 0));
    }

    @Override
    public Future<?> submit(Runnable task) {
        return delegate.submit(wrap(task, 0, 0));
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return delegate.submit(wrap(task, 0, 0), result);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return delegate.submit(wrap(task, 0));
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return delegate.invokeAll(wrapAll(tasks));
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        return delegate.invokeAll(wrapAll(tasks), timeout, unit);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        return delegate.invokeAny(wrapAll(tasks));
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return delegate.invokeAny(wrapAll(tasks), timeout, unit);
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    /** The tasks that never ran, as the application submitted them where the executor still holds them so. */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> pending = delegate.shutdownNow();
        List<Runnable> unwrapped = new ArrayList<>(pending.size());
        for (Runnable task : pending) {
            unwrapped.add(task instanceof QueuedRunnable ? ((QueuedRunnable) task).task() : task);
        }
        return unwrapped;
    }

    @Override
    public boolean isShutdown() {
        return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return delegate.awaitTermination(timeout, unit);
    }

    @Override
    public String toString() {
        return "monitored(" + delegate + ")";
    }
}
