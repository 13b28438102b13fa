package io.vigil.benchmarks.cpu;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.benchmarks.Accounts;
import io.vigil.benchmarks.JettyApps;
import io.vigil.core.clock.CoarseClock;
import io.vigil.jdbc.MonitoredDataSource;
import io.vigil.redis.LettuceMonitoring;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import javax.sql.DataSource;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * One application server of the CPU-per-request harness, in its own JVM, on a free loopback port, for one
 * target, bare or instrumented:
 * <ul>
 *   <li>{@code jetty}: {@link JettyApps}' hello application ({@code GET /hello}) in any of its variants: bare,
 *       {@code vigil} ({@code MonitoringFilter}), and the peers {@code springObservation} and
 *       {@code timedHandler}; the count checked is each variant's own timer ({@link JettyApps.App#counted()}).
 *       The other targets are Jetty 12 (ee10) answering {@code GET /work}:</li>
 *   <li>{@code postgres}: a primary-key select through a HikariCP pool ({@link Accounts#pointSelect}, a
 *       random account each request); {@code vigil} wraps the pool in {@link MonitoredDataSource} (defaults).
 *       The container is bare in both: the difference is the JDBC instrumentation alone.</li>
 *   <li>{@code redis}: a Lettuce synchronous {@code GET} of one key on one shared connection; {@code vigil}
 *       adds {@link LettuceMonitoring#instrument} (defaults). Both have Lettuce's own latency collector off,
 *       as in {@code RedisLettuceBenchmark}.</li>
 * </ul>
 * Usage: {@code AppServer <target> <variant> [backend]} where backend is the JDBC URL or {@code host:port}.
 * It prints {@code port=<n>} once serving, then answers commands on stdin, one a line, so that the harness
 * never sends an HTTP request the instrumentation would count: {@code cpu} prints {@code cpu_ns=<n> jit_ns=<m>}
 * (this process's CPU time, all threads, from {@code OperatingSystemMXBean}, and the part of it its JIT compiler
 * threads spent, see {@link #compilerCpuNanos()}), {@code recorded} prints
 * {@code recorded=<n>} (requests the instrumentation counted, -1 when bare) and {@code quit} stops.
 */
public final class AppServer {

    static final String PATH = "/work";
    static final String REDIS_KEY = "session:7f3a9c21";

    private AppServer() {
    }

    /** The path the load generator requests on a target's servers. */
    static String path(String target) {
        return target.equals("jetty") ? JettyApps.PATH : PATH;
    }

    public static void main(String[] args) throws Exception {
        String target = args[0];
        String variant = args[1];
        String backend = args.length > 2 ? args[2] : null;
        if (target.equals("jetty")) {
            // The same hello application the in-process suites measure, in every variant, peers included.
            JettyApps.App app = JettyApps.start(JettyApps.Variant.valueOf(variant.startsWith("bare") ? "bare" : variant),
                    JettyApps.loopback(0));
            System.out.println("port=" + app.port());
            System.out.flush();
            serveCommands(variant.startsWith("bare") ? () -> -1 : app::counted);
            app.close();
            return;
        }
        boolean vigil = variant.equals("vigil");
        if (!vigil && !variant.startsWith("bare")) {
            throw new IllegalArgumentException("Unknown variant " + variant + " (bare*, vigil)");
        }
        // Vigil's recommended registry (CoarseClock); the bare variants record nothing
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                new PrometheusRegistry(), CoarseClock.shared());
        ServletContextHandler context = new ServletContextHandler("/");
        LongSupplier recorded = () -> -1;
        AutoCloseable backendResources = () -> { };
        switch (target) {
            case "postgres": {
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(backend);
                config.setMaximumPoolSize(16);
                config.setMinimumIdle(16);
                HikariDataSource pool = new HikariDataSource(config);
                DataSource dataSource = vigil ? MonitoredDataSource.wrap(pool, registry) : pool;
                context.addServlet(new ServletHolder(new PointSelectServlet(dataSource)), PATH);
                if (vigil) {
                    recorded = () -> timerCount(registry, "db.client.operation.duration");
                }
                backendResources = pool;
                break;
            }
            case "redis": {
                ClientResources resources = ClientResources.builder()
                        .commandLatencyRecorder(CommandLatencyRecorder.disabled()).build();
                String[] hostPort = backend.split(":");
                RedisClient client = RedisClient.create(resources,
                        RedisURI.create(hostPort[0], Integer.parseInt(hostPort[1])));
                // Vigil's listeners must be on the client before the connection is opened.
                LettuceMonitoring monitoring = vigil ? LettuceMonitoring.instrument(client, registry) : null;
                StatefulRedisConnection<String, String> connection = client.connect();
                context.addServlet(new ServletHolder(new RedisGetServlet(connection.sync())), PATH);
                if (vigil) {
                    recorded = () -> timerCount(registry, "db.client.operation.duration");
                }
                backendResources = () -> {
                    connection.close();
                    if (monitoring != null) {
                        monitoring.close();
                    }
                    client.shutdown();
                    resources.shutdown();
                };
                break;
            }
            default:
                throw new IllegalArgumentException("Unknown target " + target + " (jetty, postgres, redis)");
        }

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName(target + "-" + variant);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(context);
        server.start();
        System.out.println("port=" + connector.getLocalPort());
        System.out.flush();
        serveCommands(recorded);
        server.stop();
        backendResources.close();
    }

    private static void serveCommands(LongSupplier recorded) throws IOException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line; (line = commands.readLine()) != null; ) {
            switch (line.trim()) {
                case "cpu":
                    System.out.println("cpu_ns=" + os.getProcessCpuTime() + " jit_ns=" + compilerCpuNanos());
                    break;
                case "recorded":
                    System.out.println("recorded=" + recorded.getAsLong());
                    break;
                case "quit":
                    return;
                default:
                    System.out.println("error=unknown command " + line);
            }
            System.out.flush();
        }
    }

    /**
     * CPU time of the JIT compiler threads so far (their {@code /proc/self/task/<tid>/schedstat} run time, the
     * same clock as the process CPU time), 0 where {@code /proc} is absent. Compiling is a one-time cost that,
     * on a starved core, goes on for minutes and differs between JVMs: the harness subtracts it so that the
     * figure is the steady-state cost of a request. (Server JVMs run with a fixed number of compiler threads,
     * so no thread's time leaves the sum by exiting.)
     */
    static long compilerCpuNanos() {
        File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks == null) {
            return 0;
        }
        long total = 0;
        for (File task : tasks) {
            try {
                String name = Files.readString(task.toPath().resolve("comm")).trim();
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    String schedstat = Files.readString(task.toPath().resolve("schedstat"));
                    total += Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
                }
            } catch (IOException | RuntimeException e) {
                // The thread ended between listing and reading: its time is no longer counted anywhere.
            }
        }
        return total;
    }

    private static long timerCount(MeterRegistry registry, String name) {
        return registry.find(name).timers().stream().mapToLong(Timer::count).sum();
    }

    private static final class PointSelectServlet extends HttpServlet {
        private final transient DataSource dataSource;

        PointSelectServlet(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            long value;
            try {
                value = Accounts.pointSelect(dataSource, ThreadLocalRandom.current().nextInt(1, Accounts.COUNT + 1));
            } catch (SQLException e) {
                throw new IOException(e);
            }
            byte[] body = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
            response.setContentType("text/plain");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }

    private static final class RedisGetServlet extends HttpServlet {
        private final transient RedisCommands<String, String> commands;

        RedisGetServlet(RedisCommands<String, String> commands) {
            this.commands = commands;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String value = commands.get(REDIS_KEY);
            if (value == null) {
                throw new IOException("No value at " + REDIS_KEY);
            }
            byte[] body = value.getBytes(StandardCharsets.UTF_8);
            response.setContentType("text/plain");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
