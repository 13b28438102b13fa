package io.vigil.redis;

import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * PING through Jedis. Jedis blocks for its own socket timeout, which may be longer than the check's, so
 * the PING runs on a daemon thread of this pinger and the caller waits at most its timeout. While an
 * earlier PING is still stuck, no second one is started: the check answers DOWN at once, so a hanging
 * Redis never piles up threads.
 */
final class JedisPinger implements Pinger {

    private final UnifiedJedis jedis;
    private final ThreadPoolExecutor executor;
    private final AtomicReference<CompletableFuture<String>> inFlight = new AtomicReference<>();

    JedisPinger(UnifiedJedis jedis) {
        this.jedis = jedis;
        // One thread at most, gone after 30 s idle, so an unused check holds no thread.
        this.executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "vigil-redis-health");
            thread.setDaemon(true);
            return thread;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    @Override
    public String ping(Duration timeout) throws Exception {
        CompletableFuture<String> previous = inFlight.get();
        if (previous != null && !previous.isDone()) {
            throw new TimeoutException("previous PING still pending");
        }
        CompletableFuture<String> reply = CompletableFuture.supplyAsync(jedis::ping, executor);
        inFlight.set(reply);
        try {
            return reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }
}
