package io.vigil.redis;

import io.lettuce.core.Value;
import io.lettuce.core.event.command.CommandFailedEvent;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.lettuce.core.event.command.CommandSucceededEvent;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.protocol.TransactionalCommand;

import java.util.List;
import java.util.Map;

/**
 * Lettuce's command listener: sees every command a client writes — sync, async, reactive, pipelined or
 * inside MULTI/EXEC — when it starts and when it completes or fails, on Lettuce's threads.
 *
 * <p>Lettuce stamps its events with millisecond clock readings, too coarse for sub-millisecond Redis
 * commands, so the start is taken with {@link System#nanoTime()} and kept in the event context Lettuce
 * hands to both events of one command. The command name is the {@link CommandType} constant, never read
 * from the wire; nothing of the command's keys or values is looked at except whether a read reply was nil.
 * Inside MULTI, Lettuce completes a command's event when Redis answers QUEUED: its latency is the time to
 * queue it (EXEC's latency covers the execution), and its cache hit or miss is taken from the real reply
 * once EXEC delivers it.
 *
 * <p>Lettuce emits no event when a command is cancelled, which is what its synchronous API does to a
 * command at its timeout: such a command is recorded only if its reply still arrives, with that reply's
 * outcome. (Reactive subscribers cancel commands that completed too, so "cancelled" cannot mean "failed".)
 * Commands Redis answers with an error, and commands that fail on the connection (rejected while
 * disconnected, connection closed, Lettuce's own command expiry when it fires first) are recorded as
 * errors. See the README for the client options that make failures visible.
 */
final class LettuceCommandRecorder implements CommandListener {

    private static final String STARTED = "io.vigil.redis.started";
    /** Lettuce's command enum, indexed by ordinal: the closed set of {@code db.operation} values. */
    static final CommandType[] TYPES = CommandType.values();

    private final RedisClientMetrics metrics;
    private volatile boolean closed;

    LettuceCommandRecorder(RedisClientMetrics metrics) {
        this.metrics = metrics;
    }

    void close() {
        closed = true;
    }

    @Override
    public void commandStarted(CommandStartedEvent event) {
        if (closed) {
            return;
        }
        try {
            event.getContext().put(STARTED, System.nanoTime());
        } catch (Throwable error) {
            metrics.internalErrors().record(error);
        }
    }

    @Override
    public void commandSucceeded(CommandSucceededEvent event) {
        if (closed) {
            return;
        }
        try {
            long nanos = elapsed(event.getContext());
            if (nanos < 0) {
                return;
            }
            RedisCommand<Object, Object, Object> command = event.getCommand();
            CommandMeters meters = meters(command.getType());
            meters.recordSuccess(nanos);
            CacheRole role = meters.role();
            if (role == CacheRole.NONE) {
                return;
            }
            if (command instanceof TransactionalCommand) {
                // Inside MULTI this event is Redis' QUEUED; the real reply arrives with EXEC.
                ((TransactionalCommand<Object, Object, Object>) command).onComplete((reply, error) -> {
                    if (error == null && !closed) {
                        metrics.internalErrors().run(() -> recordCache(role, command, reply));
                    }
                });
            } else {
                CommandOutput<Object, Object, Object> output = command.getOutput();
                recordCache(role, command, output == null ? null : output.get());
            }
        } catch (Throwable error) {
            metrics.internalErrors().record(error);
        }
    }

    @Override
    public void commandFailed(CommandFailedEvent event) {
        if (closed) {
            return;
        }
        try {
            long nanos = elapsed(event.getContext());
            if (nanos < 0) {
                return;
            }
            meters(event.getCommand().getType()).recordError(nanos, event.getCause());
        } catch (Throwable error) {
            metrics.internalErrors().record(error);
        }
    }

    private CommandMeters meters(ProtocolKeyword type) {
        return type instanceof CommandType ? metrics.meters(((CommandType) type).ordinal()) : metrics.other();
    }

    /** Nanoseconds since the start event, or -1 when the command started before this recorder existed. */
    private static long elapsed(Map<String, Object> context) {
        Object started = context.get(STARTED);
        return started instanceof Long ? System.nanoTime() - (Long) started : -1;
    }

    private void recordCache(CacheRole role, RedisCommand<Object, Object, Object> command, Object reply) {
        switch (role) {
            case READ:
                if (reply == null) {
                    metrics.miss();
                } else {
                    metrics.hit();
                }
                break;
            case READ_MULTI:
                recordMultiRead(reply);
                break;
            case WRITE:
                if (reply != null) {
                    metrics.puts(1);
                }
                break;
            case WRITE_IF:
                if (CacheRole.wrote(reply)) {
                    metrics.puts(1);
                }
                break;
            case WRITE_MULTI:
                metrics.puts(pairs(command.getArgs()));
                break;
            case WRITE_MULTI_IF:
                if (CacheRole.wrote(reply)) {
                    metrics.puts(pairs(command.getArgs()));
                }
                break;
            default:
                break;
        }
    }

    /**
     * MGET and HMGET answer a list of {@link Value}s, empty where the key was nil. A streaming variant (a
     * callback, or a reactive Flux) hands values to the caller instead and leaves the list empty: nothing is
     * counted then, rather than guessing.
     */
    private void recordMultiRead(Object reply) {
        if (!(reply instanceof List)) {
            return;
        }
        List<?> values = (List<?>) reply;
        int hits = 0;
        int misses = 0;
        for (int i = 0, n = values.size(); i < n; i++) {
            Object value = values.get(i);
            boolean hit = value instanceof Value ? ((Value<?>) value).hasValue() : value != null;
            if (hit) {
                hits++;
            } else {
                misses++;
            }
        }
        metrics.lookups(hits, misses);
    }

    private static int pairs(CommandArgs<Object, Object> args) {
        return args == null ? 0 : args.count() / 2;
    }
}
