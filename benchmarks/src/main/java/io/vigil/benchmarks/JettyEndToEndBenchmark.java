package io.vigil.benchmarks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.servlet.MonitoringFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

/**
 * A whole HTTP request through embedded Jetty 12 (ee10) over loopback, without and with
 * {@link MonitoringFilter}: the filter's cost relative to the cheapest real request a servlet app serves.
 *
 * <p>Two servers are started once per trial on ephemeral loopback ports, configured identically (Jetty's
 * defaults, one {@link ServletContextHandler} at {@code /}, a servlet at the exact mapping {@code /hello}
 * answering {@code hello} as {@code text/plain} with {@code Content-Length: 5}); {@code vigil}'s also has
 * {@code MonitoringFilter.builder(registry).build()} (defaults) on its own {@link PrometheusMeterRegistry},
 * mapped to {@code /*} for {@code REQUEST} dispatches, async-supported, as the module's README shows.
 * {@link #start} fails unless one request to each server answers {@code hello} and the {@code vigil} server
 * recorded it.
 *
 * <p>Client: four benchmark threads, each with its own keep-alive HTTP/1.1 connection to the server of its
 * variant, writing one preformatted {@code GET /hello} and reading the response up to the end of its body
 * (one write and usually one read system call per request, no allocation). {@code java.net.http.HttpClient}
 * was not used: it hands every exchange to its selector thread and back through {@code CompletableFuture}s,
 * allocating several KB and costing more CPU per request than Jetty spends serving it, which on a shared
 * 2-core machine is noise in both the baseline and the ratio. The raw socket keeps the client side minimal,
 * so the denominator of the overhead is mostly the server's work and the relative overhead is not diluted.
 */
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Threads(4)
public class JettyEndToEndBenchmark {

    private static final byte[] BODY = "hello".getBytes(StandardCharsets.US_ASCII);

    private MeterRegistry registry;
    private Server bare;
    private Server vigil;
    private int barePort;
    private int vigilPort;

    @Setup(Level.Trial)
    public void start() throws Exception {
        registry = Registries.vigil();
        bare = server("bare", null);
        vigil = server("vigil", MonitoringFilter.builder(registry).build());
        barePort = ((ServerConnector) bare.getConnectors()[0]).getLocalPort();
        vigilPort = ((ServerConnector) vigil.getConnectors()[0]).getLocalPort();

        try (Client client = new Client(barePort)) {
            client.checkHello();
        }
        try (Client client = new Client(vigilPort)) {
            client.checkHello();
        }
        // The filter records after the chain returned, which may be just after the client read the body.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (recorded() != 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The vigil server recorded " + recorded() + " requests, not 1");
            }
            Thread.sleep(1);
        }
    }

    private long recorded() {
        Timer timer = registry.find("http.server.requests")
                .tags("method", "GET", "uri", "/hello", "status", "200", "exception", "none").timer();
        return timer == null ? 0 : timer.count();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        try {
            if (bare != null) {
                bare.stop();
            }
        } finally {
            if (vigil != null) {
                vigil.stop();
            }
        }
    }

    @Benchmark
    public int hello_bare(BareClient client) throws IOException {
        return client.get();
    }

    @Benchmark
    public int hello_vigil(VigilClient client) throws IOException {
        return client.get();
    }

    private static Server server(String name, Filter filter) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName(name);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new HelloServlet()), "/hello");
        if (filter != null) {
            FilterHolder holder = new FilterHolder(filter);
            holder.setAsyncSupported(true);
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        server.setHandler(context);
        server.start();
        return server;
    }

    /** The cheapest real answer: a fixed body with its length, so the container does no chunking. */
    private static final class HelloServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.setContentLength(BODY.length);
            response.getOutputStream().write(BODY);
        }
    }

    /** One benchmark thread's connection to the {@code bare} server. */
    @State(Scope.Thread)
    public static class BareClient extends ThreadClient {
        @Setup(Level.Trial)
        public void connect(JettyEndToEndBenchmark servers) throws IOException {
            open(servers.barePort);
        }
    }

    /** One benchmark thread's connection to the {@code vigil} server. */
    @State(Scope.Thread)
    public static class VigilClient extends ThreadClient {
        @Setup(Level.Trial)
        public void connect(JettyEndToEndBenchmark servers) throws IOException {
            open(servers.vigilPort);
        }
    }

    /** Holds a {@link Client} for the lifetime of a trial. */
    public abstract static class ThreadClient {
        private Client client;

        void open(int port) throws IOException {
            client = new Client(port);
        }

        int get() throws IOException {
            return client.get();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            if (client != null) {
                client.close();
            }
        }
    }

    /**
     * A minimal HTTP/1.1 keep-alive client for one known response shape: it writes a preformatted request
     * and reads until the end of the headers plus the {@code hello} body, checking the status line.
     */
    static final class Client implements AutoCloseable {
        private static final byte[] REQUEST = ("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] buffer = new byte[4096];
        private int length;
        private int bodyStart;

        Client(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        }

        /** One request; returns the status code (always 200, or it throws). */
        int get() throws IOException {
            out.write(REQUEST);
            length = 0;
            int headerEnd = -1;
            while (headerEnd < 0 || length < headerEnd + BODY.length) {
                int read = in.read(buffer, length, buffer.length - length);
                if (read < 0) {
                    throw new EOFException("Connection closed after " + length + " bytes");
                }
                int from = Math.max(0, length - 3);
                length += read;
                if (headerEnd < 0) {
                    headerEnd = endOfHeaders(from);
                }
                if (length == buffer.length) {
                    throw new IOException("Response larger than " + buffer.length + " bytes");
                }
            }
            if (length != headerEnd + BODY.length || buffer[9] != '2' || buffer[10] != '0' || buffer[11] != '0') {
                throw new IOException("Unexpected response: " + new String(buffer, 0, length,
                        StandardCharsets.ISO_8859_1));
            }
            bodyStart = headerEnd;
            return 200;
        }

        /** The offset just past {@code \r\n\r\n} if it is in the buffer from {@code from}, else -1. */
        private int endOfHeaders(int from) {
            for (int i = from; i + 3 < length; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                    return i + 4;
                }
            }
            return -1;
        }

        /** Setup only: one request, and its headers and body are what the benchmark assumes. */
        void checkHello() throws IOException {
            get();
            String response = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
            String body = response.substring(bodyStart);
            if (!body.equals("hello") || !response.contains("Content-Length: 5")
                    || !response.contains("Content-Type: text/plain")) {
                throw new IOException("Unexpected response: " + response);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
