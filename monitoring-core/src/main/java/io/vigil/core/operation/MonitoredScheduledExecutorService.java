package io.vigil.core.operation;

import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose tasks record how late they started against their due time ({@code app.operation.queue.wait})
 * and how long they ran.
 */
final class MonitoredScheduledExecutorService extends MonitoredExecutorService implements ScheduledExecutorService {

    private final ScheduledExecutorService delegate;

    MonitoredScheduledExecutorService(Operations owner, ScheduledExecutorService delegate,
            OperationMeters executorMeters) {
        super(owner, delegate, executorMeters);
        this.delegate = delegate;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return delegate.schedule(wrap(command, unit.toNanos(delay), 0), delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return delegate.schedule(wrap(callable, unit.toNanos(delay)), delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        long periodNanos = Math.max(1, unit.toNanos(period));
        return delegate.scheduleAtFixedRate(wrap(command, unit.toNanos(initialDelay), periodNanos),
                initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
            TimeUnit unit) {
        long delayNanos = Math.max(1, unit.toNanos(delay));
        return delegate.scheduleWithFixedDelay(wrap(command, unit.toNanos(initialDelay), -delayNanos),
                initialDelay, delay, unit);
    }
}
