package io.vigil.health.checks;

import io.vigil.core.health.HealthCheck;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Opens (and closes) a TCP connection within a timeout: the dependency accepts connections. */
final class TcpCheck implements HealthCheck {

    private final String host;
    private final int port;
    private final int timeoutMillis;

    TcpCheck(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }

    @Override
    public HealthResult check() {
        HealthResult.Builder result = HealthResult.builder(HealthStatus.UP).detail("host", host).detail("port", port);
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            return result.detail("latencyMs", Evaluation.millisSince(start)).build();
        } catch (IOException failed) {
            return result.status(HealthStatus.DOWN).error(failed).detail("latencyMs", Evaluation.millisSince(start))
                    .build();
        }
    }
}
