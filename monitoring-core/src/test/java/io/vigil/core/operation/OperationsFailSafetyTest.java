package io.vigil.core.operation;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A broken registry never reaches the application: every form runs the application's code once, returns its
 * result, and rethrows its exception as the same instance; Vigil's failures land in vigil.internal.errors.
 */
class OperationsFailSafetyTest {

    static Stream<MeterRegistry> brokenRegistries() {
        return Stream.of(new ThrowingTimersRegistry(), failingRegistration(), new SimpleMeterRegistry(
                SimpleConfig.DEFAULT, new ThrowingClock()));
    }

    @ParameterizedTest
    @MethodSource("brokenRegistries")
    void everyFormRunsTheApplicationCodeUnchanged(MeterRegistry registry) throws Exception {
        Operations operations = Operations.builder(registry).activeOperations(true).build();
        AtomicInteger runs = new AtomicInteger();

        try (Operation op = operations.start("scoped")) {
            runs.incrementAndGet();
            op.outcome("declined");
            op.failed(new IllegalStateException());
        }
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> {
            try (Operation op = operations.start("scoped")) {
                throw op.failed(boom);
            }
        }).isSameAs(boom);

        operations.timed("runnable", (Runnable) runs::incrementAndGet).run();
        assertThatThrownBy(() -> operations.timed("runnable", (Runnable) () -> {
            throw boom;
        }).run()).isSameAs(boom);
        assertThat(operations.timed("callable", () -> 42).call()).isEqualTo(42);
        Exception checked = new java.io.IOException("disk");
        assertThatThrownBy(() -> operations.timed("callable", () -> {
            throw checked;
        }).call()).isSameAs(checked);
        Supplier<String> supplier = operations.timedSupplier("supplier", () -> "value");
        assertThat(supplier.get()).isEqualTo("value");

        CompletableFuture<String> future = new CompletableFuture<>();
        assertThat(operations.timed("async", () -> future).call()).isSameAs(future);
        future.completeExceptionally(boom);

        ExecutorService executor = operations.monitor(Executors.newSingleThreadExecutor(), "workers");
        try {
            Future<Integer> value = executor.submit(() -> 7);
            assertThat(value.get(10, TimeUnit.SECONDS)).isEqualTo(7);
            Future<?> failing = executor.submit((Runnable) () -> {
                throw boom;
            });
            assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isSameAs(boom);
            executor.submit(operations.timed("task", (Runnable) runs::incrementAndGet)).get(10, TimeUnit.SECONDS);
        } finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(runs).hasValue(3);
        assertThat(registry.get("vigil.internal.errors").tag("component", "operations").counter().count())
                .isPositive();
    }

    @Test
    void aBlankNameIsAConfigurationError() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Operations operations = Operations.register(registry);
        assertThatThrownBy(() -> operations.timed(" ", (Runnable) () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            assertThatThrownBy(() -> operations.monitor(executor, null))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            executor.shutdown();
        }
        // At run time a missing name is not the application's problem: it is measured as "none".
        operations.start(null).close();
        operations.start("").close();
        assertThat(registry.get("app.operation.duration").tag("operation", "none").timer().count()).isEqualTo(2);
    }

    @Test
    void aScopeFromABrokenStartIsHarmless() throws Exception {
        Operations operations = Operations.register(new SimpleMeterRegistry(SimpleConfig.DEFAULT,
                new ThrowingClock()));
        Operation op = operations.start("x");
        assertThat(op.failed(new IllegalStateException())).isInstanceOf(IllegalStateException.class);
        op.outcome("declined");
        op.close();
        op.close();
    }

    /** Every timer throws when recording. */
    static final class ThrowingTimersRegistry extends SimpleMeterRegistry {
        @Override
        protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
            return new CumulativeTimer(id, clock, config, pauseDetector, TimeUnit.SECONDS, false) {
                @Override
                protected void recordNonNegative(long amount, TimeUnit unit) {
                    throw new IllegalStateException("broken timer");
                }
            };
        }

        @Override
        public String toString() {
            return "timers that throw";
        }
    }

    /** Registering any application meter fails. */
    private static MeterRegistry failingRegistration() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry() {
            @Override
            public String toString() {
                return "registration that fails";
            }
        };
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().startsWith("app.") || id.getName().startsWith("executor")) {
                    throw new IllegalStateException("registry refuses " + id.getName());
                }
                return id;
            }
        });
        return registry;
    }

    /** A clock that fails: no measurement can start. */
    static final class ThrowingClock implements Clock {
        @Override
        public long wallTime() {
            return System.currentTimeMillis();
        }

        @Override
        public long monotonicTime() {
            throw new IllegalStateException("broken clock");
        }

        @Override
        public String toString() {
            return "a clock that throws";
        }
    }
}
