package io.vigil.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.alerts.AlertEngine;
import io.vigil.alerts.RuleFiles;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/**
 * One tick of the alert engine: a scrape of the registry into the series store plus one evaluation of the whole
 * production pack, over the reference load and over about 10,000 series. Budget: under 50 ms of one core for
 * 10,000 series. The store is filled first, so each measured tick does steady-state work: ring writes, no new
 * series, full 5-minute windows.
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class AlertEngineBenchmark {

    /** A clock that advances one evaluation interval per read by the engine. */
    static final class TickingClock extends Clock {
        private long millis = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            millis += 15_000;
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }
    }

    @Param({"reference", "series10k"})
    public String load;

    private AlertEngine engine;
    private int scraped;

    @Setup(Level.Trial)
    public void setUp() {
        PrometheusMeterRegistry registry = AlertLoads.registry(load);
        scraped = AlertLoads.scrapedSeries(registry);
        engine = AlertEngine.builder(registry).rules(RuleFiles.pack()).clock(new TickingClock()).build();
        // 25 ticks (6 minutes): every 5-minute window the pack reads is full, as in steady state.
        for (int i = 0; i < 25; i++) {
            engine.evaluate();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println("\n" + load + ": scraped_series=" + scraped + " stored_series=" + engine.storedSeries());
        engine.close();
    }

    @Benchmark
    public int sampleAndEvaluatePack() {
        engine.evaluate();
        return engine.alerts().size();
    }
}
