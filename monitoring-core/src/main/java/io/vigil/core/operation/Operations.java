package io.vigil.core.operation;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.vigil.core.cardinality.CardinalityGuard;
import io.vigil.core.cardinality.CardinalityLimits;
import io.vigil.core.cardinality.TagLimiter;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.internal.InternalErrors;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Measures any block of application code — a payment call, a pricing computation, a batch step, a message
 * handler — as {@code app.operation.duration{operation,outcome,exception}}, in one of three forms:
 *
 * <pre>{@code
 * Operations operations = Operations.register(registry);
 *
 * try (Operation op = operations.start("payment.authorize")) {        // a scope
 *     try {
 *         if (!gateway.authorize(order)) {
 *             op.outcome("declined");
 *         }
 *     } catch (GatewayException e) {
 *         throw op.failed(e);                                        // outcome="error", the same e rethrown
 *     }
 * }
 *
 * Runnable refresh = operations.timed("cache.refresh", cache::refresh);  // a decorated call
 * ExecutorService pool = operations.monitor(Executors.newFixedThreadPool(4), "workers");
 * pool.execute(refresh);                                             // queue wait + run time per task name
 * }</pre>
 *
 * <p>Operation names, outcomes and exception names pass through the cardinality guard (defaults: 100 names,
 * 10 outcomes, 100 exception names per meter), so an id in a name folds into {@code OTHER}. Once a name has been
 * seen, an operation costs a lock-free map read, a thread-local read, two clock reads and a timer record, and
 * allocates nothing (closed scope objects are reused per thread; an unclosed one is referenced by no one).
 * Nothing here throws into the application: Vigil's own failures are counted in
 * {@code vigil.internal.errors{component="operations"}}, and the application's exceptions reach its caller
 * unchanged, the same instance.
 *
 * <p>Thread-safe; make one per registry and share it (two instances would each cap names on their own).
 */
public final class Operations {

    /** The default cap of distinct {@code outcome} values: outcomes are a small fixed set by nature. */
    public static final int DEFAULT_OUTCOME_LIMIT = 10;
    static final String COMPONENT = "operations";

    final Clock clock;
    final InternalErrors errors;
    final MeterRegistry registry;
    final boolean percentileHistogram;
    /** The {@code le} boundaries when not the percentile histogram: the catalog's, or none. */
    final Duration[] buckets;
    final boolean activeOperations;
    private final TagLimiter names;
    private final TagLimiter outcomes;
    private final TagLimiter exceptions;
    /** Admitted names (and {@code OTHER}) only, so its size is bounded by the name cap plus one. */
    private final ConcurrentHashMap<String, OperationMeters> byName = new ConcurrentHashMap<>();
    /** Closed scopes per thread, for reuse; a field, so the pools go when this instance goes. */
    private final ThreadLocal<ScopePool> scopes = ThreadLocal.withInitial(ScopePool::new);

    private Operations(Builder builder) {
        this.registry = builder.registry;
        this.clock = builder.registry.config().clock();
        this.percentileHistogram = Boolean.TRUE.equals(builder.percentileHistogram);
        this.buckets = builder.percentileHistogram == null
                ? MetricCatalog.LATENCY_BUCKETS.toArray(new Duration[0]) : new Duration[0];
        this.activeOperations = builder.activeOperations;
        CardinalityGuard guard = CardinalityGuard.create(registry, builder.limits);
        this.names = guard.limiter(MetricCatalog.APP_OPERATION_DURATION, "operation");
        this.outcomes = guard.limiter(MetricCatalog.APP_OPERATION_DURATION, "outcome");
        this.exceptions = guard.limiter(MetricCatalog.APP_OPERATION_DURATION, "exception");
        this.errors = InternalErrors.forComponent(registry, COMPONENT);
    }

    /**
     * Operations with the defaults: the catalog's latency buckets ({@link MetricCatalog#LATENCY_BUCKETS}, as the
     * HTTP timer), {@code app.operations.active} off.
     */
    public static Operations register(MeterRegistry registry) {
        return builder(registry).build();
    }

    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    /**
     * Starts measuring {@code name}; the measurement is recorded when the returned scope closes, with
     * {@code outcome="success"} unless the code marked it ({@link Operation#failed}, {@link Operation#outcome}).
     * Scopes nest: each measures itself. A scope that is never closed records nothing and holds nothing.
     */
    public Operation start(String name) {
        try {
            OperationMeters meters = meters(name);
            long start = meters.started();
            return scopes.get().take().open(meters, start);
        } catch (Throwable error) {
            errors.record(error);
            return new Operation(null);   // records nothing
        }
    }

    /**
     * {@code task}, measured on every run; an exception it throws is recorded as {@code outcome="error"} with its
     * class name and rethrown unchanged.
     */
    public Runnable timed(String name, Runnable task) {
        return new TimedRunnable(meters(name, "task", task), task);
    }

    /**
     * {@code task}, measured on every call. When the call returns a {@link java.util.concurrent.CompletionStage}
     * (a {@code CompletableFuture}), the measurement ends when the stage completes, and a stage that completes
     * exceptionally is recorded as an error with the class of its cause.
     */
    public <T> Callable<T> timed(String name, Callable<T> task) {
        return new TimedCallable<>(meters(name, "task", task), task);
    }

    /**
     * As {@link #timed(String, Callable)} for a {@link Supplier}; a separate name because a value-returning lambda
     * fits both interfaces and the compiler could not choose.
     */
    public <T> Supplier<T> timedSupplier(String name, Supplier<T> task) {
        return new TimedSupplier<>(meters(name, "task", task), task);
    }

    /**
     * Wraps {@code executor} so that every task records how long it waited in the queue
     * ({@code app.operation.queue.wait{operation}}) and how long it ran ({@code app.operation.duration}). A task
     * made by {@link #timed} is recorded under its own name; any other task under {@code executorName}. The
     * executor's own gauges ({@code executor.pool.size}, {@code executor.queued}, … tagged
     * {@code name=executorName}) come from Micrometer's {@link ExecutorServiceMetrics}. Shutting the wrapper down
     * shuts {@code executor} down.
     */
    public ExecutorService monitor(ExecutorService executor, String executorName) {
        Objects.requireNonNull(executor, "executor");
        OperationMeters meters = meters(requireName(executorName), "executor", executor);
        bindExecutorMetrics(executor, executorName);
        return new MonitoredExecutorService(this, executor, meters);
    }

    /**
     * As {@link #monitor(ExecutorService, String)} for a scheduler: the queue wait of a scheduled task is how late
     * it started against its due time (for a periodic task, each run against its own due time).
     */
    public ScheduledExecutorService monitor(ScheduledExecutorService executor, String executorName) {
        Objects.requireNonNull(executor, "executor");
        OperationMeters meters = meters(requireName(executorName), "executor", executor);
        bindExecutorMetrics(executor, executorName);
        return new MonitoredScheduledExecutorService(this, executor, meters);
    }

    private void bindExecutorMetrics(ExecutorService executor, String executorName) {
        try {
            new ExecutorServiceMetrics(executor, executorName, Tags.empty()).bindTo(registry);
        } catch (Throwable error) {
            errors.record(error);   // the executor works unmeasured rather than failing the application's startup
        }
    }

    private OperationMeters meters(String name, String what, Object target) {
        Objects.requireNonNull(target, what);
        try {
            return meters(requireName(name));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Throwable error) {
            errors.record(error);
            return null;   // the decorated call runs unmeasured
        }
    }

    /** The meters of {@code name} as the guard admits it; a known name costs one map read. */
    OperationMeters meters(String name) {
        OperationMeters meters = name == null ? null : byName.get(name);
        return meters != null ? meters : admit(name);
    }

    private OperationMeters admit(String name) {
        String limited = names.limit(name == null || name.isBlank() ? "none" : name);
        OperationMeters meters = byName.get(limited);
        if (meters == null) {
            meters = byName.computeIfAbsent(limited, n -> new OperationMeters(this, n));
        }
        return meters;
    }

    /** The {@code outcome} tag for a value the application chose; {@code null} and blank are ignored. */
    String outcome(String outcome) {
        return outcomes.limit(outcome);
    }

    /** The {@code exception} tag: the simple class name of {@code error}, capped. */
    String exception(Throwable error) {
        if (error == null) {
            return OperationMeters.NONE;
        }
        Class<?> type = error.getClass();
        String name = type.getSimpleName();
        return exceptions.limit(name.isEmpty() ? type.getName() : name);   // anonymous classes have no simple name
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("An operation name must not be blank");
        }
        return name;
    }

    /** Configuration of {@link Operations}; every option has a production-safe default. */
    public static final class Builder {

        private final MeterRegistry registry;
        private CardinalityLimits limits = CardinalityLimits.builder()
                .tag(MetricCatalog.APP_OPERATION_DURATION, "outcome", DEFAULT_OUTCOME_LIMIT).build();
        /** {@code null}: the catalog's compact buckets; true: Micrometer's percentile histogram; false: none. */
        private Boolean percentileHistogram;
        private boolean activeOperations;

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * Caps on distinct {@code operation}, {@code outcome} and {@code exception} values (defaults 100, 10, 100;
         * beyond, {@code OTHER}). Limits given here replace the defaults, the outcome cap included.
         */
        public Builder cardinalityLimits(CardinalityLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * By default {@code app_operation_duration_seconds_bucket} has the catalog's 11 latency boundaries, 5 ms to
         * 10 s ({@link MetricCatalog#LATENCY_BUCKETS}, those of the HTTP timer), so {@code histogram_quantile}
         * works across instances. {@code true}: Micrometer's percentile histogram instead (~70 boundaries, 1 ms to
         * 30 s; finer quantiles, about 5 times the series); {@code false}: no buckets.
         */
        public Builder publishPercentileHistogram(boolean enabled) {
            this.percentileHistogram = enabled;
            return this;
        }

        /**
         * Publishes {@code app.operations.active{operation}}, the operations started and not finished (off by
         * default). Allocation-free (a striped counter per name), but two more atomic updates per operation and
         * one more series per name; a scope that is never closed stays counted.
         */
        public Builder activeOperations(boolean enabled) {
            this.activeOperations = enabled;
            return this;
        }

        public Operations build() {
            return new Operations(this);
        }
    }
}
