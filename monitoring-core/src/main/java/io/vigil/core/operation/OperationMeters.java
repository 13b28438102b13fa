package io.vigil.core.operation;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vigil.core.catalog.MetricCatalog;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The meters of one operation name (already limited), cached by outcome and exception tag values that are
 * themselves limited, so recording does one or two lock-free map reads keyed by strings it already holds and
 * never builds a meter. A timer is registered (through the catalog) the first time its tag combination is seen.
 * Every method that records is fail-safe: Vigil's own errors go to {@link Operations#errors}.
 */
final class OperationMeters {

    static final String SUCCESS = "success";
    static final String ERROR = "error";
    static final String NONE = "none";
    /** The start of an operation whose clock read failed: it is not recorded. */
    static final long NOT_STARTED = Long.MIN_VALUE;

    private final Operations owner;
    private final String name;
    /** In flight, or {@code null} when {@code app.operations.active} is off. */
    private final LongAdder active;
    private volatile Timer success;
    private volatile Timer queueWait;
    private final ConcurrentHashMap<String, OutcomeTimers> byOutcome = new ConcurrentHashMap<>(4);

    OperationMeters(Operations owner, String name) {
        this.owner = owner;
        this.name = name;
        if (owner.activeOperations) {
            LongAdder inFlight = new LongAdder();
            MetricCatalog.APP_OPERATIONS_ACTIVE.gauge(owner.registry, Tags.of("operation", name), inFlight,
                    LongAdder::sum);
            this.active = inFlight;
        } else {
            this.active = null;
        }
    }

    String name() {
        return name;
    }

    Operations owner() {
        return owner;
    }

    /** Marks one operation started; returns its start on the registry's monotonic clock. May throw. */
    long started() {
        long now = owner.clock.monotonicTime();
        if (active != null) {
            active.increment();
        }
        return now;
    }

    /** {@link #started()}, or {@link #NOT_STARTED} when Vigil failed; never throws. */
    long begin() {
        try {
            return started();
        } catch (Throwable error) {
            owner.errors.record(error);
            return NOT_STARTED;
        }
    }

    /** Runs {@code task} measured; its exception is recorded and rethrown unchanged. */
    void run(Runnable task) {
        long start = begin();
        try {
            task.run();
        } catch (Throwable thrown) {
            failed(start, thrown);
            throw thrown;
        }
        finish(start, null, null);
    }

    /** Calls {@code task} measured, until completion when it returns a {@link CompletionStage}. */
    <T> T call(Callable<T> task) throws Exception {
        long start = begin();
        T result;
        try {
            result = task.call();
        } catch (Throwable thrown) {
            failed(start, thrown);
            throw thrown;
        }
        return completed(start, result);
    }

    /** As {@link #call} for a {@link Supplier}. */
    <T> T get(Supplier<T> task) {
        long start = begin();
        T result;
        try {
            result = task.get();
        } catch (Throwable thrown) {
            failed(start, thrown);
            throw thrown;
        }
        return completed(start, result);
    }

    /** Records a call that returned {@code result}: now, or when {@code result} is a stage, at its completion. */
    private <T> T completed(long start, T result) {
        if (result instanceof CompletionStage) {
            try {
                ((CompletionStage<?>) result).whenComplete(new StageCompletion(this, start));
            } catch (Throwable error) {
                owner.errors.record(error);
            }
        } else {
            finish(start, null, null);
        }
        return result;
    }

    /**
     * Records one finished operation. {@code outcome} {@code null} means success; {@code exception} {@code null}
     * means none. Never throws.
     */
    void finish(long start, String outcome, String exception) {
        if (start == NOT_STARTED) {
            return;
        }
        try {
            long duration = owner.clock.monotonicTime() - start;
            if (active != null) {
                active.decrement();
            }
            timer(outcome, exception).record(duration, TimeUnit.NANOSECONDS);
        } catch (Throwable error) {
            owner.errors.record(error);
        }
    }

    /** Records a failed operation tagged with {@code error}'s class. Never throws. */
    void failed(long start, Throwable error) {
        String exception;
        try {
            exception = owner.exception(error);
        } catch (Throwable own) {
            owner.errors.record(own);
            exception = NONE;
        }
        finish(start, ERROR, exception);
    }

    /** Records how long a task waited before it started. Never throws. */
    void queued(long waitNanos) {
        try {
            Timer timer = queueWait;
            if (timer == null) {
                // A race registers twice; the registry hands back the one instance.
                timer = MetricCatalog.APP_OPERATION_QUEUE_WAIT.timer(owner.registry, Tags.of("operation", name),
                        this::options);
                queueWait = timer;
            }
            timer.record(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
        } catch (Throwable error) {
            owner.errors.record(error);
        }
    }

    /** The registry's monotonic clock, or {@link #NOT_STARTED} when it fails; never throws. */
    long now() {
        try {
            return owner.clock.monotonicTime();
        } catch (Throwable error) {
            owner.errors.record(error);
            return NOT_STARTED;
        }
    }

    private Timer timer(String outcome, String exception) {
        if (outcome == null || (exception == null && SUCCESS.equals(outcome))) {
            Timer timer = success;
            if (timer == null) {
                // Lazily, so an operation that only ever fails makes no empty success series.
                timer = register(SUCCESS, NONE);
                success = timer;
            }
            return timer;
        }
        OutcomeTimers timers = byOutcome.get(outcome);
        if (timers == null) {
            timers = byOutcome.computeIfAbsent(outcome, OutcomeTimers::new);
        }
        return timers.timer(exception == null ? NONE : exception);
    }

    private Timer register(String outcome, String exception) {
        return MetricCatalog.APP_OPERATION_DURATION.timer(owner.registry,
                Tags.of("operation", name, "outcome", outcome, "exception", exception), this::options);
    }

    private Timer.Builder options(Timer.Builder builder) {
        builder.publishPercentileHistogram(owner.percentileHistogram);
        return owner.buckets.length == 0 ? builder : builder.serviceLevelObjectives(owner.buckets);
    }

    /** The timers of one (operation, outcome), by exception. */
    private final class OutcomeTimers {
        private final String outcome;
        private final ConcurrentHashMap<String, Timer> byException = new ConcurrentHashMap<>(2);

        private OutcomeTimers(String outcome) {
            this.outcome = outcome;
        }

        Timer timer(String exception) {
            Timer timer = byException.get(exception);
            if (timer == null) {
                timer = byException.computeIfAbsent(exception, e -> register(outcome, e));
            }
            return timer;
        }
    }
}
