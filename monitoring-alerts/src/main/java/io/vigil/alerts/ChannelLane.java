package io.vigil.alerts;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One channel's bulkhead: its own bounded queue, its own worker thread, its own call threads, its own retry and
 * circuit breaker. Deliveries leave the queue strictly in order — the head is retried until it is delivered,
 * rejected or expired — so notifications of a group arrive in the order they were produced.
 *
 * <p>Each attempt runs on a call thread and is abandoned after the channel's {@link NotificationChannel#timeout()}
 * (the thread is interrupted); a channel that ignores interrupts can strand at most {@code maxStuckCalls} call
 * threads, after which its attempts fail fast. Nothing a channel does can block another lane or the caller.
 */
final class ChannelLane {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelLane.class);

    private final NotificationChannel channel;
    private final DeliveryStore store;
    private final Clock clock;
    private final DeliveryPolicy policy;
    private final DeliveryMetrics metrics;
    private final BlockingDeque<PendingDelivery> queue;
    private final ThreadPoolExecutor calls;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final Thread worker;
    private final RateLimitedLog failures;
    private final Consumer<PendingDelivery> onSent;
    private volatile boolean running = true;

    ChannelLane(NotificationChannel channel, DeliveryStore store, Clock clock, DeliveryPolicy policy,
            DeliveryMetrics metrics, Consumer<PendingDelivery> onSent) {
        this.channel = channel;
        this.store = store;
        this.clock = clock;
        this.policy = policy;
        this.metrics = metrics;
        this.onSent = onSent;
        this.queue = new LinkedBlockingDeque<>();
        this.failures = new RateLimitedLog(LOG, 1, TimeUnit.MINUTES);
        AtomicInteger callNumber = new AtomicInteger();
        this.calls = new ThreadPoolExecutor(0, policy.maxStuckCalls(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "vigil-notify-" + channel.name() + "-call-" + callNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.retry = Retry.of(channel.name(), RetryConfig.custom()
                .maxAttempts(policy.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(policy.initialBackoff(), 2.0,
                        policy.jitter(), policy.maxBackoff()))
                .retryOnException(e -> !(e instanceof NotificationChannel.Rejected)
                        && !(e instanceof InterruptedException) && !(e instanceof LeaseLost))
                .build());
        this.breaker = CircuitBreaker.of(channel.name(), CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(policy.breakerWindow())
                .minimumNumberOfCalls(Math.max(1, policy.breakerWindow() / 2))
                .failureRateThreshold(50)
                .waitDurationInOpenState(policy.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .ignoreExceptions(NotificationChannel.Rejected.class, LeaseLost.class)
                .build());
        this.worker = new Thread(this::run, "vigil-notify-" + channel.name());
        this.worker.setDaemon(true);
    }

    String name() {
        return channel.name();
    }

    void start() {
        worker.start();
    }

    /**
     * Queues {@code d} behind the deliveries already waiting. The dispatcher bounds the lane before the store
     * accepts a delivery, so that every pending delivery in the store is also in a lane (recovery included).
     */
    void offer(PendingDelivery d) {
        queue.add(d);
    }

    int queued() {
        return queue.size();
    }

    private void run() {
        while (running) {
            PendingDelivery d;
            try {
                d = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                deliver(d);
            } catch (InterruptedException e) {
                return; // stays pending in the store; the next start picks it up
            } catch (RuntimeException e) {
                // The store failed: the delivery stays pending there and is retried after a restart.
                failures.warn("Notification channel {}: delivery store failure: {}", channel.name(), e.toString());
            }
        }
    }

    private void deliver(PendingDelivery d) throws InterruptedException {
        while (running) {
            if (clock.instant().isAfter(d.createdAt().plus(policy.maxAge()))) {
                store.complete(d.seq(), LogEntry.EXPIRED, clock.instant());
                metrics.expired.increment();
                LOG.warn("Notification channel {}: gave up on {} after {}", channel.name(), d.idempotencyKey(),
                        policy.maxAge());
                return;
            }
            try {
                retry.executeCheckedSupplier(() -> breaker.executeCheckedSupplier(() -> attempt(d)));
                store.complete(d.seq(), LogEntry.SENT, clock.instant());
                metrics.success.increment();
                onSent.accept(d);
                return;
            } catch (LeaseLost e) {
                // Another node took this delivery over (this one stopped renewing its lease): it sends it.
                LOG.warn("Notification channel {}: {} was taken over by another node; not sending it here",
                        channel.name(), d.idempotencyKey());
                return;
            } catch (NotificationChannel.Rejected e) {
                store.complete(d.seq(), LogEntry.REJECTED, clock.instant());
                metrics.rejected.increment();
                LOG.warn("Notification channel {} rejected {}: {}", channel.name(), d.idempotencyKey(), e.getMessage());
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Throwable e) {
                if (Thread.currentThread().isInterrupted() || !running) {
                    throw new InterruptedException();
                }
                failures.warn("Notification channel {}: {} still undelivered after {} attempts, will keep trying: {}",
                        channel.name(), d.idempotencyKey(), policy.maxAttempts(), describe(e));
                Thread.sleep(policy.maxBackoff().toMillis());
            }
        }
        throw new InterruptedException();
    }

    private Object attempt(PendingDelivery d) throws Exception {
        // Several nodes on one store: hold the lease for longer than this attempt can take, or let it go.
        if (!store.renewLease(d.seq(), clock.instant())) {
            throw new LeaseLost();
        }
        long start = System.nanoTime();
        Future<?> call;
        try {
            call = calls.submit(() -> {
                channel.send(d.notification());
                return null;
            });
        } catch (RejectedExecutionException e) {
            metrics.error.increment();
            throw new DeliveryFailure(channel.name() + ": all " + policy.maxStuckCalls() + " call threads are stuck");
        }
        try {
            call.get(channel.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            call.cancel(true);
            metrics.error.increment();
            throw new DeliveryFailure(channel.name() + ": no answer within " + channel.timeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NotificationChannel.Rejected) {
                throw (NotificationChannel.Rejected) cause;
            }
            metrics.error.increment();
            if (cause instanceof DeliveryFailure) {
                throw (DeliveryFailure) cause;
            }
            // A custom channel's exception: keep only its type, its message may hold what it called.
            throw new DeliveryFailure(channel.name() + ": " + cause.getClass().getName());
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } finally {
            metrics.duration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** This node no longer holds the delivery's lease. */
    private static final class LeaseLost extends Exception {
        private static final long serialVersionUID = 1L;

        LeaseLost() {
            super(null, null, false, false);
        }
    }

    private static String describe(Throwable e) {
        if (e instanceof CallNotPermittedException) {
            return "circuit breaker open";
        }
        return e instanceof DeliveryFailure ? e.getMessage() : e.getClass().getName();
    }

    /** Stops the worker and abandons in-flight calls; queued deliveries stay pending in the store. */
    void close(Duration grace) {
        running = false;
        worker.interrupt();
        try {
            worker.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        calls.shutdownNow();
    }

    @Override
    public String toString() {
        return "ChannelLane{" + channel.name() + ", queued=" + queue.size() + ", breaker=" + breaker.getState() + "}";
    }
}
