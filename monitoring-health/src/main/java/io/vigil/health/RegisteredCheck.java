package io.vigil.health;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.health.HealthCheck;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One check as the registry runs it: at most one run at a time, each run bounded by the timeout, the latest
 * result kept for probes to read, and its meters.
 *
 * <p>A run that outlives its timeout is reported DOWN at the deadline and its thread interrupted. If the
 * check ignores the interrupt it keeps its thread until it returns, but it is not started again meanwhile,
 * so one stuck dependency holds at most one thread and stays DOWN.
 */
final class RegisteredCheck {

    private final String name;
    private final HealthCheck check;
    private final CheckOptions options;
    private final ListenerDispatcher listeners;
    private final Timer duration;
    private final List<Meter> meters = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Object publishLock = new Object();
    private volatile HealthResult latest = HealthResult.unknown();
    private volatile ScheduledFuture<?> schedule;

    RegisteredCheck(String name, HealthCheck check, CheckOptions options, ListenerDispatcher listeners,
            MeterRegistry registry) {
        this.name = name;
        this.check = check;
        this.options = options;
        this.listeners = listeners;
        this.duration = MetricCatalog.HEALTH_CHECK_DURATION.timer(registry, Tags.of("check", name));
        meters.add(duration);
        for (String group : options.groups()) {
            meters.add(MetricCatalog.HEALTH_STATUS.gauge(registry, Tags.of("check", name, "group", group), this,
                    c -> c.latest.status() == HealthStatus.UP ? 1 : 0));
        }
    }

    String name() {
        return name;
    }

    CheckOptions options() {
        return options;
    }

    HealthResult latest() {
        return latest;
    }

    /** The status this check contributes to an aggregate: a non-critical failure only degrades it. */
    HealthStatus contribution() {
        HealthStatus status = latest.status();
        if (!options.critical() && !status.isServing()) {
            return HealthStatus.DEGRADED;
        }
        return status;
    }

    void schedule(ScheduledExecutorService scheduler, Executor workers) {
        long intervalNanos = options.interval().toNanos();
        schedule = scheduler.scheduleWithFixedDelay(() -> trigger(scheduler, workers), 0, intervalNanos,
                TimeUnit.NANOSECONDS);
    }

    void unschedule() {
        ScheduledFuture<?> current = schedule;
        if (current != null) {
            current.cancel(false);
        }
    }

    List<Meter> meters() {
        return meters;
    }

    /** Starts a run unless one is still going (queued or running): a slow check is never started twice. */
    void trigger(ScheduledExecutorService scheduler, Executor workers) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            workers.execute(() -> run(scheduler));
        } catch (RejectedExecutionException shutDown) {
            running.set(false);
        }
    }

    private void run(ScheduledExecutorService scheduler) {
        Run run = new Run(Thread.currentThread(), System.nanoTime());
        ScheduledFuture<?> deadline = null;
        try {
            deadline = scheduler.schedule(() -> timeOut(run), options.timeout().toNanos(), TimeUnit.NANOSECONDS);
            HealthResult result = call();
            synchronized (run) {
                run.finished = true;
                if (run.timedOut) {
                    return;
                }
            }
            publish(result, System.nanoTime() - run.startNanos);
        } catch (RejectedExecutionException shutDown) {
            // The registry is closing; this run's result no longer matters.
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
            synchronized (run) {
                run.finished = true;
            }
            // A timeout that fired just before the run finished must not interrupt the next run on this thread.
            Thread.interrupted();
            running.set(false);
        }
    }

    private HealthResult call() {
        try {
            HealthResult result = check.check();
            return result != null ? result
                    : HealthResult.builder(HealthStatus.UNKNOWN).detail("error", "check returned no result").build();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable error) {
            return HealthResult.down(error);
        }
    }

    private void timeOut(Run run) {
        synchronized (run) {
            if (run.finished) {
                return;
            }
            run.timedOut = true;
            run.thread.interrupt();
        }
        long elapsed = System.nanoTime() - run.startNanos;
        publish(HealthResult.builder(HealthStatus.DOWN)
                .detail("error", "timeout")
                .detail("timeoutMs", options.timeout().toMillis())
                .build(), elapsed);
    }

    private void publish(HealthResult result, long elapsedNanos) {
        duration.record(elapsedNanos, TimeUnit.NANOSECONDS);
        HealthResult timed = result.timed(Duration.ofNanos(elapsedNanos), Instant.now());
        synchronized (publishLock) {
            HealthStatus previous = latest.status();
            latest = timed;
            if (previous != timed.status()) {
                listeners.transition(name, previous, timed);
            }
        }
    }

    /** One run's state, shared by the worker and its deadline under the run's monitor. */
    private static final class Run {
        final Thread thread;
        final long startNanos;
        boolean finished;
        boolean timedOut;

        Run(Thread thread, long startNanos) {
            this.thread = thread;
            this.startNanos = startNanos;
        }
    }
}
