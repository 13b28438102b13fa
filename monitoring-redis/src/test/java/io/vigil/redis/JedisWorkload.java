package io.vigil.redis;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.ProtocolCommand;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@link RedisWorkload} over a Jedis {@link UnifiedJedis}. */
final class JedisWorkload implements RedisWorkload {

    /** ECHO as a command outside Jedis's Protocol.Command enum. */
    private static final ProtocolCommand CUSTOM_ECHO = () -> "ECHO".getBytes(StandardCharsets.US_ASCII);

    final UnifiedJedis jedis;

    JedisWorkload(UnifiedJedis jedis) {
        this.jedis = jedis;
    }

    @Override
    public void set(String key, String value) {
        jedis.set(key, value);
    }

    @Override
    public String get(String key) {
        return jedis.get(key);
    }

    @Override
    public List<String> mget(String... keys) {
        return jedis.mget(keys);
    }

    @Override
    public void mset(String... keysAndValues) {
        jedis.mset(keysAndValues);
    }

    @Override
    @SuppressWarnings("deprecation") // the SETNX command itself is what is under test
    public boolean setnx(String key, String value) {
        return jedis.setnx(key, value) == 1;
    }

    @Override
    public void hset(String key, String field, String value) {
        jedis.hset(key, field, value);
    }

    @Override
    public String hget(String key, String field) {
        return jedis.hget(key, field);
    }

    @Override
    public void lpush(String key, String value) {
        jedis.lpush(key, value);
    }

    @Override
    @SuppressWarnings("deprecation") // the plain way to send a command Jedis has no method for
    public String customEcho(String message) {
        Object reply = jedis.sendCommand(CUSTOM_ECHO, message);
        return new String((byte[]) reply, StandardCharsets.UTF_8);
    }

    @Override
    @SuppressWarnings("deprecation") // the plain way to send a command Jedis has no method for
    public void unknownCommand(String name, String argument) {
        jedis.sendCommand(() -> name.getBytes(StandardCharsets.UTF_8), argument);
    }

    @Override
    public void flushAll() {
        jedis.flushAll();
    }

    @Override
    @SuppressWarnings("deprecation") // UnifiedJedis has no CLIENT PAUSE method
    public void pauseAllClients(long millis) {
        jedis.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "PAUSE", Long.toString(millis));
    }

    @Override
    public void close() {
        jedis.close();
    }
}
