package io.vigil.alerts;

import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A WARN line at most once per interval, with the count of lines suppressed since: a failing receiver cannot flood the log. */
final class RateLimitedLog {

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, long interval, TimeUnit unit) {
        this.log = log;
        this.intervalNanos = unit.toNanos(interval);
    }

    void warn(String message, Object... args) {
        long now = System.nanoTime();
        long next = nextAt.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextAt.compareAndSet(next, now + intervalNanos)) {
            long skipped = suppressed.getAndSet(0);
            Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
            all[args.length] = skipped;
            log.warn(message + " ({} similar messages suppressed)", all);
        } else {
            suppressed.incrementAndGet();
        }
    }
}
