package io.vigil.core.clock;

import io.micrometer.core.instrument.Clock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * A Micrometer {@link Clock} whose {@link #wallTime()} is a cached value refreshed once a second by one shared
 * daemon thread, and whose {@link #monotonicTime()} is {@link System#nanoTime()}; for a Prometheus registry:
 * {@code new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), CoarseClock.shared())}.
 *
 * <p>Why: Micrometer reads the registry clock's wall time on every record of a timer or distribution summary —
 * {@code TimeWindowMax} (the {@code _max} series) and the histogram's window rotation each check whether their
 * window has expired — and {@link Clock#SYSTEM} answers with {@link System#currentTimeMillis()}, ~30 ns per read on
 * a virtualized host: three reads per HTTP request (timer and size summary), ~90 ns of the servlet filter's cost,
 * ~60 ns of a scoped operation's. Those windows rotate every 40 s (a 2 min {@code _max} window in 3 parts), and
 * Prometheus' {@code _created} timestamps are taken once per meter: a wall time up to {@link #PERIOD_MILLIS} ms
 * old moves a rotation by at most that, within the 40 s granularity {@code _max} already has. Durations never use
 * it: timers, samples and long task timers measure with {@link #monotonicTime()}, which stays exact.
 *
 * <p>Not for push (step) registries (OTLP, Datadog, ...): they decide by wall time, when they publish, whether a
 * step has ended, and a stale clock can make a publish shortly after a step boundary report the step before.
 *
 * <p>Why once a second rather than every millisecond: each wake-up of the refresher costs tens of microseconds of
 * CPU on a virtualized host (measured ~40–80 µs): at a 4 ms period it took 1.2 % of a core, more than it saves
 * below ~130,000 requests a second; at 1 s it takes under 0.01 % of a core. The refresher starts with the first
 * read, stops by itself after {@link #IDLE_MILLIS} ms without a read or when interrupted (an idle service pays
 * nothing; a redeployed web application's class loader is not pinned by it for long), and is restarted by the next
 * read. It is a daemon thread: it never delays JVM shutdown. If it cannot be started (no threads left, a security
 * manager), every read falls back to
 * {@link System#currentTimeMillis()}: this clock never throws and is never staler than {@link #PERIOD_MILLIS} ms
 * plus the refresher's scheduling delay.
 */
public final class CoarseClock implements Clock {

    /** How often the refresher updates the cached wall time. */
    public static final long PERIOD_MILLIS = 1_000;

    /** How long the refresher keeps running without a read before it stops. */
    public static final long IDLE_MILLIS = 10_000;

    static final String THREAD_NAME = "vigil-coarse-clock";

    private static final CoarseClock SHARED = new CoarseClock(PERIOD_MILLIS, IDLE_MILLIS, CoarseClock::daemon);

    private final long periodNanos;
    private final long idleTicks;
    private final Function<Runnable, Thread> threads;
    private final AtomicBoolean starting = new AtomicBoolean();

    private volatile long wallTime = System.currentTimeMillis();
    /** True while a refresher keeps {@link #wallTime} fresh; only the refresher sets it back to false. */
    private volatile boolean running;
    /** Set by readers, cleared by the refresher: written only when false, so readers do not contend on it. */
    private volatile boolean read;
    /** Once the refresher could not be started: every read asks the system clock. */
    private volatile boolean unavailable;

    CoarseClock(long periodMillis, long idleMillis, Function<Runnable, Thread> threads) {
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis);
        this.idleTicks = Math.max(1, idleMillis / periodMillis);
        this.threads = threads;
    }

    /** The JVM-wide instance: one refresher thread however many registries use it. */
    public static CoarseClock shared() {
        return SHARED;
    }

    @Override
    public long wallTime() {
        if (running) {
            if (!read) {
                read = true;
            }
            return wallTime;
        }
        return start();
    }

    @Override
    public long monotonicTime() {
        return System.nanoTime();
    }

    /** Not running: the cached value may be old, so this read asks the system clock, and starts a refresher. */
    private long start() {
        long now = System.currentTimeMillis();
        if (unavailable || !starting.compareAndSet(false, true)) {
            return now;
        }
        try {
            if (!running) {
                wallTime = now;
                read = true;
                running = true;
                try {
                    threads.apply(this::refresh).start();
                } catch (Throwable e) {   // OutOfMemoryError (no native thread), SecurityException, ...
                    running = false;
                    unavailable = true;
                }
            }
        } finally {
            starting.set(false);
        }
        return now;
    }

    private void refresh() {
        long idle = 0;
        try {
            while (true) {
                LockSupport.parkNanos(periodNanos);
                if (Thread.interrupted()) {
                    // someone stopping the application's threads (a container on undeploy): stop, or parkNanos would
                    // return at once forever; the next read starts a fresh refresher
                    return;
                }
                wallTime = System.currentTimeMillis();
                if (read) {
                    read = false;
                    idle = 0;
                } else if (++idle >= idleTicks) {
                    return;
                }
            }
        } finally {
            // readers that still see running == true get a value at most one period old; the next read after this
            // asks the system clock and starts a new refresher
            running = false;
        }
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, THREAD_NAME);
        thread.setDaemon(true);
        thread.setContextClassLoader(null);   // do not pin an application's class loader through the thread
        return thread;
    }
}
