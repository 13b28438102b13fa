package io.vigil.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** PING through Lettuce's async API, so the wait is bounded by the caller's timeout, not the client's. */
final class LettucePinger implements Pinger {

    private final BaseRedisAsyncCommands<?, ?> commands;

    LettucePinger(BaseRedisAsyncCommands<?, ?> commands) {
        this.commands = commands;
    }

    @Override
    public String ping(Duration timeout) throws Exception {
        RedisFuture<String> reply = commands.ping();
        try {
            return reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            reply.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }
}
