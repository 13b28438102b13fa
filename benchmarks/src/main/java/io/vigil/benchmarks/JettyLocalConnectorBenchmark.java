package io.vigil.benchmarks;

import io.vigil.benchmarks.JettyApps.App;
import io.vigil.benchmarks.JettyApps.LocalClient;
import io.vigil.benchmarks.JettyApps.Variant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A whole HTTP/1.1 request through embedded Jetty 12 (ee11) without the network: raw request bytes written to a
 * {@link org.eclipse.jetty.server.LocalConnector} keep-alive connection, parsed by Jetty into real request
 * objects, dispatched through the servlet context (filters, servlet) and answered as bytes. What an
 * instrumentation costs inside the real container, container calls included, resolved to a few nanoseconds
 * because no socket, no system call and no thread hand-off is measured: the request is handled on the benchmark
 * thread ({@link JettyApps.CallerRuns}), so every variant's recording is finished when the method returns.
 *
 * <p>The applications are {@link JettyApps}' variants: {@code bare}, {@code vigil} (MonitoringFilter with
 * defaults), {@code springObservation} (Spring's ServerHttpObservationFilter + DefaultMeterObservationHandler)
 * and {@code timedHandler} (Micrometer's Jetty 12 TimedHandler), each started for its own trial only. Every
 * response is checked to be {@code 200} with body {@code hello}; at the end of each trial the benchmark's own
 * count of requests sent must equal what the servlet served and what the variant's registry counted, or the
 * run fails ({@link App#verify(long, long, TimeUnit)}): no peer is measured broken.
 *
 * <p>With {@code -prof gc}, {@code gc.alloc.rate.norm} minus {@code bare}'s is what the instrumentation
 * allocates per request ({@code bare}'s own figure is Jetty's plus the in-memory end point's output buffer).
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JettyLocalConnectorBenchmark {

    @Benchmark
    public int hello_bare(Bare app) throws IOException, InterruptedException {
        return app.hello();
    }

    @Benchmark
    public int hello_vigil(Vigil app) throws IOException, InterruptedException {
        return app.hello();
    }

    @Benchmark
    public int hello_springObservation(SpringObservation app) throws IOException, InterruptedException {
        return app.hello();
    }

    @Benchmark
    public int hello_timedHandler(TimedHandler app) throws IOException, InterruptedException {
        return app.hello();
    }

    /** One variant's application and this thread's connection to it, for one trial. */
    @State(Scope.Thread)
    public abstract static class Running {
        App app;
        private LocalClient client;
        private long sent;

        abstract Variant variant();

        @Setup(Level.Trial)
        public void start() throws Exception {
            app = JettyApps.start(variant(), JettyApps.local());
            client = app.localClient();
            hello();
            String response = client.lastResponse();
            if (!response.startsWith("HTTP/1.1 200 OK\r\n") || !response.contains("\r\nContent-Length: 5\r\n")
                    || !response.contains("\r\nContent-Type: text/plain") || !response.endsWith("\r\n\r\nhello")) {
                throw new IllegalStateException(variant() + " answered: " + response);
            }
            // No waiting: handled on this thread, the request is recorded when hello() returns.
            app.verify(sent, 0, TimeUnit.SECONDS);
        }

        int hello() throws IOException, InterruptedException {
            sent++;
            return client.hello();
        }

        /** Fails the run unless the servlet served, and the variant's registry counted, every request sent. */
        @TearDown(Level.Trial)
        public void stop() throws Exception {
            try {
                client.close();
                // Recorded on the benchmark thread already; one second of grace in case Jetty ever dispatched.
                app.verify(sent, 1, TimeUnit.SECONDS);
            } finally {
                app.close();
            }
        }
    }

    public static class Bare extends Running {
        @Override
        Variant variant() {
            return Variant.bare;
        }
    }

    public static class Vigil extends Running {
        @Override
        Variant variant() {
            return Variant.vigil;
        }
    }

    public static class SpringObservation extends Running {
        @Override
        Variant variant() {
            return Variant.springObservation;
        }
    }

    public static class TimedHandler extends Running {
        @Override
        Variant variant() {
            return Variant.timedHandler;
        }
    }
}
