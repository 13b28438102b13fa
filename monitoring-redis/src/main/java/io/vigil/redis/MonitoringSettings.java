package io.vigil.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * The options both client builders share, validated when set so a bad value fails at configuration time.
 * Mutable while a builder fills it, then read once by {@code build()}.
 */
final class MonitoringSettings {

    static final String DEFAULT_CACHE = "redis";
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(15);
    static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(2);

    String cacheName = DEFAULT_CACHE;
    Integer database;
    String server;
    Duration pollInterval = DEFAULT_POLL_INTERVAL;
    Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
    boolean histogram;

    void cacheName(String name) {
        this.cacheName = notBlank("cacheName", name);
    }

    void database(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("database index must be >= 0, was " + index);
        }
        this.database = index;
    }

    void server(String hostAndPort) {
        this.server = notBlank("server", hostAndPort);
    }

    void pollInterval(Duration interval) {
        this.pollInterval = positive("pollInterval", interval);
    }

    void pollTimeout(Duration timeout) {
        this.pollTimeout = positive("pollTimeout", timeout);
    }

    String namespace(int derived) {
        return Integer.toString(database != null ? database : derived);
    }

    String server(String derivedHost, int derivedPort) {
        return server != null ? server : derivedHost + ":" + derivedPort;
    }

    void checkPollTimeout() {
        if (pollTimeout.compareTo(pollInterval) > 0) {
            throw new IllegalStateException("pollTimeout " + pollTimeout + " exceeds pollInterval " + pollInterval);
        }
    }

    private static String notBlank(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }

    private static Duration positive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + value);
        }
        return value;
    }
}
