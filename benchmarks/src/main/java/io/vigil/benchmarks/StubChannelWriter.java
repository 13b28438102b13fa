package io.vigil.benchmarks;

import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.protocol.ConnectionFacade;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * Lettuce's I/O boundary with no server behind it: where Lettuce's endpoint would encode a command onto the
 * Netty channel and its {@code CommandHandler} would later decode the reply into the command's output and
 * complete it, this writer does the latter at once, feeding every command the bulk string
 * {@link StubCommandExecutor#REPLY} as if Redis had answered. Everything above it (command building,
 * {@code AsyncCommand}, the connection's dispatch, Lettuce's {@code CommandListenerWriter} when a client has
 * command listeners) is Lettuce's own code. Only for commands whose output takes one bulk string (GET…).
 * One per benchmark thread: the reply buffer is rewound, not copied, and the count is a plain field.
 */
final class StubChannelWriter implements RedisChannelWriter {

    private final ClientResources resources;
    private final ByteBuffer reply = ByteBuffer.wrap(StubCommandExecutor.REPLY.getBytes(StandardCharsets.UTF_8));
    private long commands;

    StubChannelWriter(ClientResources resources) {
        this.resources = resources;
    }

    long commands() {
        return commands;
    }

    @Override
    public <K, V, T> RedisCommand<K, V, T> write(RedisCommand<K, V, T> command) {
        commands++;
        reply.rewind();
        // What CommandHandler does on a reply: decode it into the output, then complete the command it wrote.
        command.getOutput().set(reply);
        command.complete();
        return command;
    }

    @Override
    public <K, V> Collection<RedisCommand<K, V, ?>> write(Collection<? extends RedisCommand<K, V, ?>> commands) {
        for (RedisCommand<K, V, ?> command : commands) {
            write(command);
        }
        @SuppressWarnings("unchecked")
        Collection<RedisCommand<K, V, ?>> written = (Collection<RedisCommand<K, V, ?>>) commands;
        return written;
    }

    @Override
    public void close() {
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void setConnectionFacade(ConnectionFacade connection) {
    }

    @Override
    public void setAutoFlushCommands(boolean autoFlush) {
    }

    @Override
    public void flushCommands() {
    }

    @Override
    public ClientResources getClientResources() {
        return resources;
    }
}
