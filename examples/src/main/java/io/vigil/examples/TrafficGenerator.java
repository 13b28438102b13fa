package io.vigil.examples;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The demo's built-in load generator ({@code --traffic}): runs the {@link TrafficSchedule#tour()} once against the
 * demo's own port — 8 requests a second, faults switched per phase — then stops. Bounded: 4 sender threads and at
 * most 32 requests waiting (more are dropped, counted in nothing: this is a generator, not the service); it never
 * runs past the schedule.
 */
final class TrafficGenerator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficGenerator.class);
    private static final int SENDERS = 4;
    /** Reads rotate over the newest orders, so most are cache hits (a first read is a miss). */
    private static final int KEPT_ORDERS = 8;

    private final URI base;
    private final TrafficSchedule schedule;
    private final Faults faults;
    private final EmbeddedRedis redis;
    private final HttpClient client;
    private final ThreadPoolExecutor senders;
    private final Deque<String> orders = new ArrayDeque<>();
    private ScheduledExecutorService timer;
    private TrafficSchedule.Phase current;
    private boolean redisStopped;
    private long sequence;

    /** {@code redis}: the bundled redis-server the outage stops, or null (an external Redis is left alone). */
    TrafficGenerator(URI base, TrafficSchedule schedule, Faults faults, EmbeddedRedis redis) {
        this.base = base;
        this.schedule = schedule;
        this.faults = faults;
        this.redis = redis;
        this.senders = new ThreadPoolExecutor(SENDERS, SENDERS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(32), r -> {
                    Thread t = new Thread(r, "demo-traffic-sender");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.DiscardPolicy());
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** Runs the tour on a daemon thread, one round of requests a second. */
    synchronized TrafficGenerator start() {
        LOG.info("Traffic tour: {} of load against {}; watch the log, {}alerts/api/v2/alerts and {}alerts/api/vigil/incidents",
                format(schedule.length()), base, base, base);
        long began = System.nanoTime();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-traffic");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            try {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - began);
                if (!step(elapsed, false)) {
                    LOG.info("Traffic tour over after {}: the generator stopped", format(elapsed));
                    timer.shutdown();
                }
            } catch (RuntimeException e) {
                LOG.warn("Traffic tour step failed: {}", e.toString());
            }
        }, 0, 1, TimeUnit.SECONDS);
        return this;
    }

    /**
     * One second of the tour at {@code elapsed}: switches faults when the phase changes and sends that second's
     * requests; with {@code wait} it returns once they were answered (tests). False once the tour is over.
     */
    synchronized boolean step(Duration elapsed, boolean wait) {
        TrafficSchedule.Phase phase = schedule.at(elapsed);
        apply(phase);
        if (phase == null) {
            return false;
        }
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < TrafficSchedule.WRITES_PER_SECOND; i++) {
            sent.add(senders.submit(this::placeOrder));
        }
        for (int i = 0; i < TrafficSchedule.READS_PER_SECOND; i++) {
            sent.add(senders.submit(this::readOrder));
        }
        if (wait) {
            for (Future<?> future : sent) {
                try {
                    future.get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("a tour request failed: " + e, e);
                }
            }
        }
        return true;
    }

    private void apply(TrafficSchedule.Phase phase) {
        if (phase == current) {
            return;
        }
        current = phase;
        if (phase == null) {
            faults.clear();
            setRedisDown(false);
            return;
        }
        LOG.info("Traffic tour at {}: {} — {}", format(phase.start()), phase.name(), phase.expect());
        faults.set(phase.failEvery(), phase.slowEvery(), phase.slowBy());
        setRedisDown(phase.redisDown());
    }

    private void setRedisDown(boolean down) {
        if (down == redisStopped) {
            return;
        }
        if (redis == null) {
            if (down) {
                LOG.info("Traffic tour: no Redis outage, the demo uses an external Redis (REDIS_URI) it leaves alone");
            }
            return;
        }
        try {
            if (down) {
                redis.pause();
            } else {
                redis.resume();
            }
            redisStopped = down;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Traffic tour: could not {} the bundled redis-server: {}", down ? "stop" : "restart", e.toString());
        }
    }

    private void placeOrder() {
        long n;
        synchronized (orders) {
            n = ++sequence;
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve("orders")).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(OrdersServlet.USER_HEADER, "tour-user-" + (n % 7))
                .POST(HttpRequest.BodyPublishers.ofString("item=tour-item-" + (n % 5) + "&quantity=" + (1 + n % 3)))
                .build();
        HttpResponse<Void> response = send(request);
        if (response != null && response.statusCode() == 201) {
            response.headers().firstValue("Location").ifPresent(location -> {
                synchronized (orders) {
                    orders.addLast(location);
                    if (orders.size() > KEPT_ORDERS) {
                        orders.removeFirst();
                    }
                }
            });
        }
    }

    private void readOrder() {
        String location;
        synchronized (orders) {
            location = orders.pollLast();   // rotate: each read takes the next order, the first time a miss
            if (location != null) {
                orders.addFirst(location);
            }
        }
        if (location == null) {
            location = "/orders/00000000-0000-0000-0000-000000000000";   // a 404 until orders exist
        }
        send(HttpRequest.newBuilder(base.resolve(location.substring(1))).timeout(Duration.ofSeconds(5)).GET().build());
    }

    private HttpResponse<Void> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            LOG.debug("Traffic tour request failed: {}", e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String format(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds / 60 + ":" + String.format("%02d", seconds % 60);
    }

    /** Stops the tour; faults are cleared and a stopped redis-server is started again. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        apply(null);
        senders.shutdownNow();
    }
}
