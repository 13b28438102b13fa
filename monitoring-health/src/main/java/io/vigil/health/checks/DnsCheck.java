package io.vigil.health.checks;

import io.vigil.core.health.HealthCheck;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Resolves a name within a timeout. The JDK's resolver cannot be interrupted, so the lookup runs on this
 * check's own daemon thread (at most one, gone when idle) and the check waits for it at most the timeout;
 * while a lookup is still hanging, the next run reports DOWN instead of starting another one.
 */
final class DnsCheck implements HealthCheck {

    private final String host;
    private final Duration timeout;
    private final ExecutorService resolver;
    private Future<InetAddress[]> pending;

    DnsCheck(String host, Duration timeout) {
        this.host = host;
        this.timeout = timeout;
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "vigil-dns-lookup");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        this.resolver = executor;
    }

    @Override
    public synchronized HealthResult check() throws InterruptedException {
        HealthResult.Builder result = HealthResult.builder(HealthStatus.UP).detail("host", host);
        if (pending != null && !pending.isDone()) {
            return result.status(HealthStatus.DOWN).detail("error", "previous lookup still running").build();
        }
        long start = System.nanoTime();
        pending = resolver.submit(() -> InetAddress.getAllByName(host));
        try {
            InetAddress[] addresses = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            List<String> found = new ArrayList<>();
            for (InetAddress address : addresses) {
                found.add(address.getHostAddress());
            }
            return result.detail("addresses", found).detail("latencyMs", Evaluation.millisSince(start)).build();
        } catch (TimeoutException slow) {
            return result.status(HealthStatus.DOWN).detail("error", "timeout")
                    .detail("timeoutMs", timeout.toMillis()).build();
        } catch (ExecutionException failed) {
            return result.status(HealthStatus.DOWN).error(failed.getCause())
                    .detail("latencyMs", Evaluation.millisSince(start)).build();
        }
    }
}
