package io.vigil.redis;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

import java.time.Duration;

/**
 * INFO over a plain {@link Jedis} connection of its own, not from the application's pool and not
 * instrumented, with connect and socket timeouts equal to the poll timeout. After a failure the connection
 * is closed and the next poll opens a new one.
 */
final class JedisInfoSource implements ServerInfoSource {

    private final HostAndPort hostAndPort;
    private final JedisClientConfig config;
    private Jedis jedis; // poller thread only

    JedisInfoSource(HostAndPort hostAndPort, JedisClientConfig config, Duration timeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        this.hostAndPort = hostAndPort;
        this.config = DefaultJedisClientConfig.builder().from(config)
                .connectionTimeoutMillis(millis).socketTimeoutMillis(millis).build();
    }

    @Override
    public String info() {
        try {
            if (jedis == null) {
                jedis = new Jedis(hostAndPort, config);
            }
            return jedis.info();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        Jedis old = jedis;
        jedis = null;
        if (old != null) {
            try {
                old.close();
            } catch (RuntimeException ignored) {
                // Already broken; nothing left to release.
            }
        }
    }
}
