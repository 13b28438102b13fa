package io.vigil.redis;

import org.apache.commons.pool2.PooledObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * Jedis's pooled connection factory, counting {@code connect} when the pool opens a connection and
 * {@code disconnect} when it destroys one (closed, broken, evicted). Jedis does not reconnect a connection
 * in place, it replaces it, so there is no {@code reconnect} event for Jedis.
 */
final class JedisCountingConnectionFactory extends ConnectionFactory {

    private final RedisClientMetrics metrics;

    JedisCountingConnectionFactory(HostAndPort hostAndPort, JedisClientConfig config, RedisClientMetrics metrics) {
        super(hostAndPort, config);
        this.metrics = metrics;
    }

    @Override
    public PooledObject<Connection> makeObject() throws Exception {
        PooledObject<Connection> connection = super.makeObject();
        metrics.internalErrors().run(metrics::connected);
        return connection;
    }

    @Override
    public void destroyObject(PooledObject<Connection> connection) throws Exception {
        metrics.internalErrors().run(metrics::disconnected);
        super.destroyObject(connection);
    }
}
