package io.vigil.redis;

import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.executors.CommandExecutor;

import java.util.List;

/**
 * A Jedis {@link CommandExecutor} that times each command it passes to its delegate. Every command a
 * {@code UnifiedJedis} (RedisClient, RedisClusterClient...) runs goes through its executor, so this sees
 * them all except pipelines and transactions, which Jedis writes straight to a connection.
 *
 * <p>The application's exception is rethrown as is, after being counted; Vigil's own failures are
 * swallowed and counted. The command name is the {@link Protocol.Command} constant, never read from the
 * arguments; of the reply only nil-ness (reads) and the written flag (conditional writes) are looked at.
 */
final class JedisTimingExecutor implements CommandExecutor {

    /** Jedis's command enum, indexed by ordinal: the closed set of {@code db.operation} values. */
    static final Protocol.Command[] COMMANDS = Protocol.Command.values();

    private final CommandExecutor delegate;
    private final RedisClientMetrics metrics;

    JedisTimingExecutor(CommandExecutor delegate, RedisClientMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public <T> T executeCommand(CommandObject<T> commandObject) {
        long start = System.nanoTime();
        T reply;
        try {
            reply = delegate.executeCommand(commandObject);
        } catch (RuntimeException | Error error) {
            recordError(commandObject, System.nanoTime() - start, error);
            throw error;
        }
        recordSuccess(commandObject, System.nanoTime() - start, reply);
        return reply;
    }

    private void recordError(CommandObject<?> commandObject, long nanos, Throwable error) {
        try {
            meters(commandObject.getArguments()).recordError(nanos, error);
        } catch (Throwable vigilError) {
            metrics.internalErrors().record(vigilError);
        }
    }

    private void recordSuccess(CommandObject<?> commandObject, long nanos, Object reply) {
        try {
            CommandArguments arguments = commandObject.getArguments();
            CommandMeters meters = meters(arguments);
            meters.recordSuccess(nanos);
            if (meters.role() != CacheRole.NONE) {
                recordCache(meters.role(), arguments, reply);
            }
        } catch (Throwable vigilError) {
            metrics.internalErrors().record(vigilError);
        }
    }

    private CommandMeters meters(CommandArguments arguments) {
        ProtocolCommand command = arguments.getCommand();
        return command instanceof Protocol.Command
                ? metrics.meters(((Protocol.Command) command).ordinal())
                : metrics.other();
    }

    private void recordCache(CacheRole role, CommandArguments arguments, Object reply) {
        switch (role) {
            case READ:
                if (reply == null) {
                    metrics.miss();
                } else {
                    metrics.hit();
                }
                break;
            case READ_MULTI:
                if (reply instanceof List) {
                    List<?> values = (List<?>) reply;
                    int hits = 0;
                    for (int i = 0, n = values.size(); i < n; i++) {
                        if (values.get(i) != null) {
                            hits++;
                        }
                    }
                    metrics.lookups(hits, values.size() - hits);
                }
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
                metrics.puts(pairs(arguments));
                break;
            case WRITE_MULTI_IF:
                if (CacheRole.wrote(reply)) {
                    metrics.puts(pairs(arguments));
                }
                break;
            default:
                break;
        }
    }

    /** Key/value pairs of MSET: the arguments after the command name, two per pair. */
    private static int pairs(CommandArguments arguments) {
        return (arguments.size() - 1) / 2;
    }

    /** Closes the delegate; Jedis's executors only throw unchecked exceptions, which pass through. */
    @Override
    public void close() {
        try {
            delegate.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
