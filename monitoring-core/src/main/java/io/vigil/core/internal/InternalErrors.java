package io.vigil.core.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vigil.core.catalog.MetricCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where Vigil's own failures go instead of into the application: each is counted in
 * {@code vigil.internal.errors{component}} and logged at most once a minute per component, with the number
 * suppressed since the last log line. A failure that goes on (a server down for an hour) gets its stack trace in
 * the first line only: later lines about the same failure (same class and message) are one line each.
 * {@link #record} never throws.
 *
 * <p>For adapters, not applications: public only because adapters live in other packages.
 */
public final class InternalErrors {

    private static final Logger LOG = LoggerFactory.getLogger("io.vigil");
    static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String component;
    private final Counter counter;
    private final AtomicLong nextLogAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();
    /** Class and message of the failure last logged. */
    private final AtomicReference<String> lastLogged = new AtomicReference<>();

    private InternalErrors(String component, Counter counter) {
        this.component = component;
        this.counter = counter;
    }

    /** {@code component} names a part of Vigil ({@code servlet.filter}, {@code jdbc}); a fixed, small set. */
    public static InternalErrors forComponent(MeterRegistry registry, String component) {
        if (component == null || component.isBlank()) {
            throw new IllegalArgumentException("component must not be blank");
        }
        return new InternalErrors(component,
                MetricCatalog.VIGIL_INTERNAL_ERRORS.counter(registry, Tags.of("component", component)));
    }

    /** Counts and (rate-limited) logs {@code error}. Never throws. */
    public void record(Throwable error) {
        try {
            counter.increment();
            long now = System.nanoTime();
            long next = nextLogAt.get();
            if ((next == Long.MIN_VALUE || now - next >= 0) && nextLogAt.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
                long skipped = suppressed.getAndSet(0);
                if (withStackTrace(error)) {
                    LOG.warn("Vigil {} failed and was bypassed; monitoring data may be incomplete"
                            + " ({} similar errors suppressed in the last minute)", component, skipped, error);
                } else {
                    LOG.warn("Vigil {} is still failing with {}; monitoring data may be incomplete"
                            + " ({} similar errors suppressed in the last minute)", component, error, skipped);
                }
            } else {
                suppressed.incrementAndGet();
            }
        } catch (Throwable ignored) {
            // Monitoring must never hurt the monitored, not even when logging fails.
        }
    }

    /** Whether the line about to be logged for {@code error} carries its stack trace: not when it repeats the last. */
    boolean withStackTrace(Throwable error) {
        String signature = error.getClass().getName() + ": " + error.getMessage();
        return !signature.equals(lastLogged.getAndSet(signature));
    }

    /** Runs {@code action}; a failure is recorded, not thrown. */
    public void run(Runnable action) {
        try {
            action.run();
        } catch (Throwable error) {
            record(error);
        }
    }

    public String component() {
        return component;
    }

    public double count() {
        return counter.count();
    }
}
