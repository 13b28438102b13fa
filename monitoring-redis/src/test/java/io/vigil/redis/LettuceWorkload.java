package io.vigil.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@link RedisWorkload} over one Lettuce connection's sync API. */
final class LettuceWorkload implements RedisWorkload {

    /** ECHO under a keyword of its own, so Lettuce's CommandType does not know it. */
    private static final ProtocolKeyword CUSTOM_ECHO = new ProtocolKeyword() {
        @Override
        public byte[] getBytes() {
            return "ECHO".getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            return "ECHO";
        }
    };

    final RedisClient client;
    final StatefulRedisConnection<String, String> connection;
    final RedisCommands<String, String> sync;
    private final boolean ownsClient;

    LettuceWorkload(RedisClient client, boolean ownsClient) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.connection = client.connect();
        this.sync = connection.sync();
    }

    @Override
    public void set(String key, String value) {
        sync.set(key, value);
    }

    @Override
    public String get(String key) {
        return sync.get(key);
    }

    @Override
    public List<String> mget(String... keys) {
        List<String> values = new ArrayList<>();
        for (KeyValue<String, String> keyValue : sync.mget(keys)) {
            values.add(keyValue.getValueOrElse(null));
        }
        return values;
    }

    @Override
    public void mset(String... keysAndValues) {
        java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        sync.mset(map);
    }

    @Override
    @SuppressWarnings("deprecation") // the SETNX command itself is what is under test
    public boolean setnx(String key, String value) {
        return sync.setnx(key, value);
    }

    @Override
    public void hset(String key, String field, String value) {
        sync.hset(key, field, value);
    }

    @Override
    public String hget(String key, String field) {
        return sync.hget(key, field);
    }

    @Override
    public void lpush(String key, String value) {
        sync.lpush(key, value);
    }

    @Override
    public String customEcho(String message) {
        return sync.dispatch(CUSTOM_ECHO, new ValueOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add(message));
    }

    @Override
    public void unknownCommand(String name, String argument) {
        ProtocolKeyword keyword = new ProtocolKeyword() {
            @Override
            public byte[] getBytes() {
                return name.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String toString() {
                return name;
            }
        };
        sync.dispatch(keyword, new ValueOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add(argument));
    }

    @Override
    public void flushAll() {
        sync.flushall();
    }

    @Override
    public void pauseAllClients(long millis) {
        sync.clientPause(millis);
    }

    @Override
    public void close() {
        connection.close();
        if (ownsClient) {
            client.shutdown();
        }
    }
}
