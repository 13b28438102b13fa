package io.vigil.redis;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Sends one {@code PING} through a client and waits for the answer at most {@code timeout}. */
interface Pinger {

    /**
     * @return the server's reply
     * @throws TimeoutException when no reply came within {@code timeout}
     */
    String ping(Duration timeout) throws Exception;
}
