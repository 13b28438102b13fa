package io.vigil.redis;

import java.util.List;

/**
 * The commands the shared behavioural cases run, implemented once per client, so that the same workload
 * and the same expected counts prove both adapters.
 */
interface RedisWorkload extends AutoCloseable {

    void set(String key, String value);

    String get(String key);

    /** MGET; null where a key is missing. */
    List<String> mget(String... keys);

    void mset(String... keysAndValues);

    boolean setnx(String key, String value);

    void hset(String key, String field, String value);

    String hget(String key, String field);

    void lpush(String key, String value);

    /** ECHO sent as a command the client's command enum does not know. */
    String customEcho(String message);

    /** Sends a command named {@code name} that Redis does not know; Redis answers with an error. */
    void unknownCommand(String name, String argument);

    void flushAll();

    /** CLIENT PAUSE: Redis holds every client's commands (a hanging server) for {@code millis}. */
    void pauseAllClients(long millis);

    @Override
    void close();
}
