package io.vigil.core.clock;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class CoarseClockTest {

    /** Scheduling delay allowed on a loaded CI machine, on top of the refresh period. */
    private static final long SLACK_MILLIS = 400;

    private final List<Thread> started = new CopyOnWriteArrayList<>();

    private Function<Runnable, Thread> recording(Function<Runnable, Thread> threads) {
        return task -> {
            Thread thread = threads.apply(task);
            started.add(thread);
            return thread;
        };
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, CoarseClock.THREAD_NAME + "-test");
        thread.setDaemon(true);
        return thread;
    }

    @Test
    void sharedClockIsFreshAndRefreshedByOneDaemonThread() throws InterruptedException {
        CoarseClock clock = CoarseClock.shared();
        assertThat(CoarseClock.shared()).isSameAs(clock);
        long before = System.currentTimeMillis();
        long first = clock.wallTime();
        assertThat(first).isBetween(before - CoarseClock.PERIOD_MILLIS - SLACK_MILLIS, System.currentTimeMillis());

        List<Thread> refreshers = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(CoarseClock.THREAD_NAME)).toList();
        assertThat(refreshers).hasSize(1);
        assertThat(refreshers.get(0).isDaemon()).isTrue();
        assertThat(refreshers.get(0).getContextClassLoader()).isNull();

        // two periods later the cached value has moved on with the system clock
        Thread.sleep(2 * CoarseClock.PERIOD_MILLIS + 100);
        long later = System.currentTimeMillis();
        assertThat(clock.wallTime()).isGreaterThan(first)
                .isBetween(later - CoarseClock.PERIOD_MILLIS - SLACK_MILLIS, System.currentTimeMillis());
    }

    @Test
    void wallTimeStaysWithinThePeriodOfTheSystemClock() throws InterruptedException {
        CoarseClock clock = new CoarseClock(10, 60_000, recording(CoarseClockTest::daemon));
        long deadline = System.currentTimeMillis() + 1_500;
        long last = 0;
        while (System.currentTimeMillis() < deadline) {
            long before = System.currentTimeMillis();
            long wall = clock.wallTime();
            assertThat(wall).isBetween(before - 10 - SLACK_MILLIS, System.currentTimeMillis());
            assertThat(wall).isGreaterThanOrEqualTo(last);
            last = wall;
            Thread.sleep(7);
        }
        assertThat(started).hasSize(1);
        assertThat(started.get(0).isDaemon()).isTrue();
    }

    @Test
    void readsAreServedFromTheCacheWhileARefresherRuns() throws InterruptedException {
        // a refresher that never refreshes: the value read is the cached one, not the system clock's
        CoarseClock clock = new CoarseClock(10, 60_000, recording(task -> daemon(() -> { })));
        long first = clock.wallTime();
        Thread.sleep(50);
        assertThat(clock.wallTime()).isEqualTo(first);
        assertThat(clock.wallTime()).isLessThan(System.currentTimeMillis());
        assertThat(started).hasSize(1);
    }

    @Test
    void anIdleRefresherStopsAndTheNextReadIsFreshAndRestartsIt() throws InterruptedException {
        CoarseClock clock = new CoarseClock(5, 50, recording(CoarseClockTest::daemon));
        clock.wallTime();
        assertThat(started).hasSize(1);
        started.get(0).join(10_000);
        assertThat(started.get(0).isAlive()).as("stopped after 50 ms without reads").isFalse();

        Thread.sleep(100);   // longer than a period: a stale cache would be seen
        long before = System.currentTimeMillis();
        assertThat(clock.wallTime()).isBetween(before, System.currentTimeMillis());
        assertThat(started).hasSize(2);
    }

    @Test
    void anInterruptedRefresherStopsInsteadOfSpinningAndTheNextReadRestartsIt() throws InterruptedException {
        CoarseClock clock = new CoarseClock(5, 60_000, recording(CoarseClockTest::daemon));
        clock.wallTime();
        started.get(0).interrupt();
        started.get(0).join(10_000);
        assertThat(started.get(0).isAlive()).isFalse();

        Thread.sleep(50);
        long before = System.currentTimeMillis();
        assertThat(clock.wallTime()).isBetween(before, System.currentTimeMillis());
        assertThat(started).hasSize(2);
        assertThat(started.get(1).isAlive()).isTrue();
    }

    @Test
    void noThreadFallsBackToTheSystemClockWithoutThrowing() {
        int[] attempts = {0};
        CoarseClock clock = new CoarseClock(5, 50, task -> {
            attempts[0]++;
            throw new OutOfMemoryError("unable to create native thread");
        });
        for (int i = 0; i < 3; i++) {
            long before = System.currentTimeMillis();
            assertThatCode(clock::wallTime).doesNotThrowAnyException();
            assertThat(clock.wallTime()).isBetween(before, System.currentTimeMillis());
        }
        assertThat(attempts[0]).as("not retried on every read").isEqualTo(1);
    }

    @Test
    void monotonicTimeIsTheSystemNanoTime() {
        long before = System.nanoTime();
        long monotonic = CoarseClock.shared().monotonicTime();
        assertThat(monotonic).isBetween(before, System.nanoTime());
    }

    @Test
    void aPrometheusRegistryRecordsExactlyWithIt() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                new PrometheusRegistry(), CoarseClock.shared());
        Timer timer = Timer.builder("checkout.call").serviceLevelObjectives(Duration.ofMillis(10),
                Duration.ofMillis(100)).register(registry);
        timer.record(Duration.ofMillis(1));
        timer.record(Duration.ofMillis(5));
        timer.record(Duration.ofMillis(250));
        DistributionSummary size = DistributionSummary.builder("checkout.size").baseUnit("bytes").register(registry);
        size.record(100);
        size.record(700);

        PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
        assertThat(scrape.value("checkout_call_seconds_count")).isEqualTo(3);
        assertThat(scrape.value("checkout_call_seconds_sum")).isEqualTo(0.256);
        assertThat(scrape.value("checkout_call_seconds_max")).isEqualTo(0.25);
        assertThat(scrape.value("checkout_call_seconds_bucket", "le", "0.01")).isEqualTo(2);
        assertThat(scrape.value("checkout_call_seconds_bucket", "le", "0.1")).isEqualTo(2);
        assertThat(scrape.value("checkout_call_seconds_bucket", "le", "+Inf")).isEqualTo(3);
        assertThat(scrape.value("checkout_size_bytes_count")).isEqualTo(2);
        assertThat(scrape.value("checkout_size_bytes_sum")).isEqualTo(800);
        assertThat(scrape.value("checkout_size_bytes_max")).isEqualTo(700);
        registry.close();
    }
}
