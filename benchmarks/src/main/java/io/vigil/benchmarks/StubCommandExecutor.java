package io.vigil.benchmarks;

import redis.clients.jedis.CommandObject;
import redis.clients.jedis.executors.CommandExecutor;

/**
 * A Jedis {@link CommandExecutor} with no server behind it: every command is counted and answered with
 * {@link #REPLY}, without I/O or allocation, so a Jedis client built on it costs only its own command building
 * and whatever a decorating executor adds. Only for commands whose reply type is a String (GET, SET…). One
 * per benchmark thread: the count is a plain field, read after the thread stopped.
 */
final class StubCommandExecutor implements CommandExecutor {

    static final String REPLY = "{\"user\":48213,\"roles\":[\"reader\"],\"exp\":1767225600}";

    private long commands;

    long commands() {
        return commands;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T executeCommand(CommandObject<T> commandObject) {
        commands++;
        return (T) REPLY;
    }

    @Override
    public void close() {
    }
}
