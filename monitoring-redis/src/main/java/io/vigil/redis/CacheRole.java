package io.vigil.redis;

import java.util.Locale;

/**
 * What a Redis command means for the cache metrics: a lookup that can hit or miss, a write, or neither.
 * Decided once per command name when its meters are created, never per call.
 */
enum CacheRole {
    /** Not a cache operation (DEL, INCR, PING...): timed only. */
    NONE,
    /** One lookup; a nil reply is a miss (GET, GETEX, GETDEL, HGET). */
    READ,
    /** One lookup per key or field; each nil element of the reply is a miss (MGET, HMGET). */
    READ_MULTI,
    /** One put when the reply is not nil (SET, also SET NX/XX that did not write answers nil). */
    WRITE,
    /** One put when the reply says it wrote: true or 1 (SETNX, HSETNX). */
    WRITE_IF,
    /** One put per key/value pair (MSET). */
    WRITE_MULTI,
    /** One put per key/value pair, only when the reply says it wrote (MSETNX). */
    WRITE_MULTI_IF;

    static CacheRole of(String command) {
        switch (command.toUpperCase(Locale.ROOT)) {
            case "GET":
            case "GETEX":
            case "GETDEL":
            case "HGET":
                return READ;
            case "MGET":
            case "HMGET":
                return READ_MULTI;
            case "SET":
            case "SETEX":
            case "PSETEX":
            case "GETSET":
            case "HSET":
            case "HMSET":
                return WRITE;
            case "SETNX":
            case "HSETNX":
                return WRITE_IF;
            case "MSET":
                return WRITE_MULTI;
            case "MSETNX":
                return WRITE_MULTI_IF;
            default:
                return NONE;
        }
    }

    /**
     * Whether a conditional write's reply says it wrote. Lettuce answers {@code Boolean}, Jedis {@code Long};
     * both are plain JDK types, so this stays free of either client.
     */
    static boolean wrote(Object reply) {
        if (reply instanceof Boolean) {
            return (Boolean) reply;
        }
        if (reply instanceof Long) {
            return (Long) reply > 0;
        }
        return reply != null;
    }
}
