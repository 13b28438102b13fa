package io.vigil.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.app.ApplicationMetrics;
import io.vigil.core.catalog.CommonTags;
import io.vigil.core.operation.Operations;
import io.vigil.health.CheckOptions;
import io.vigil.health.HealthRegistry;
import io.vigil.health.checks.HealthChecks;
import io.vigil.health.system.SystemMetrics;
import io.vigil.jdbc.DataSourceHealthCheck;
import io.vigil.jdbc.MonitoredDataSource;
import io.vigil.redis.LettuceMonitoring;
import io.vigil.redis.RedisHealthCheck;
import io.vigil.servlet.HealthServlet;
import io.vigil.servlet.MetricsServlet;
import io.vigil.servlet.MonitoringFilter;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A small "orders" HTTP service wired with every Vigil module as the root README's quick start shows:
 * RED metrics for HTTP, H2 (through HikariCP) and Redis (through Lettuce), USE metrics of the machine,
 * a Prometheus scrape endpoint and Kubernetes probes.
 *
 * <pre>
 * GET  /orders/{id}   read-through cache: Redis GET, on a miss a database SELECT then a Redis SET; 404 when absent
 * POST /orders        item=...&amp;quantity=... (form), INSERT in a transaction; 201 with Location
 * GET  /slow          sleeps 50 ms
 * GET  /metrics       Prometheus scrape
 * GET  /health, /health/live, /health/ready, /health/started, /health/{check}
 * </pre>
 *
 * Run with {@code java -jar examples/target/vigil-demo.jar [port] [redis-uri]}; see {@link Config#fromEnvironment}.
 */
public final class DemoService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoService.class);

    /** How often the database and Redis checks run; probes only read the latest results. */
    static final Duration DEPENDENCY_CHECK_INTERVAL = Duration.ofSeconds(2);
    /** A cache answers fast or not at all: a slow Redis must not hold request threads for Lettuce's 60 s. */
    static final Duration REDIS_COMMAND_TIMEOUT = Duration.ofMillis(500);

    /**
     * What the demo needs from its environment.
     *
     * @param host       interface to listen on
     * @param port       HTTP port; 0 lets the OS choose (see {@link #port()})
     * @param redisUri   e.g. {@code redis://localhost:6379/0}
     * @param opsToken   bearer token that shows health details, or null to never show them
     * @param env        the {@code env} tag of every series
     */
    public record Config(String host, int port, String redisUri, String opsToken, String env) {

        public Config {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(redisUri, "redisUri");
            Objects.requireNonNull(env, "env");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535 but was " + port);
            }
            try {
                RedisURI.create(redisUri);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("redisUri is not a Redis URI (redis://host:port/db)", e);
            }
            if (opsToken != null && opsToken.isBlank()) {
                opsToken = null;
            }
        }

        /** Without the token or the Redis URI (which may carry a password). */
        @Override
        public String toString() {
            return "Config[host=" + host + ", port=" + port + ", redis=" + redisAddress(redisUri) + ", opsToken="
                    + (opsToken == null ? "none" : "***") + ", env=" + env + "]";
        }

        /**
         * Arguments {@code [port] [redis-uri]} win over the environment: {@code PORT} (8080), {@code REDIS_URI}
         * ({@code redis://localhost:6379}), {@code BIND_HOST} ({@code 127.0.0.1}), {@code OPS_TOKEN} (none),
         * {@code VIGIL_ENV} ({@code dev}).
         */
        public static Config fromEnvironment(String[] args, Map<String, String> environment) {
            String port = args.length > 0 ? args[0] : environment.getOrDefault("PORT", "8080");
            String redis = args.length > 1 ? args[1] : environment.getOrDefault("REDIS_URI", "redis://localhost:6379");
            try {
                return new Config(environment.getOrDefault("BIND_HOST", "127.0.0.1"), Integer.parseInt(port), redis,
                        environment.get("OPS_TOKEN"), environment.getOrDefault("VIGIL_ENV", "dev"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port must be a number but was '" + port + "'", e);
            }
        }
    }

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private Server server;
    private ServerConnector connector;

    private DemoService() {
    }

    /** Starts the service; on failure everything started so far is closed again. */
    public static DemoService start(Config config) throws Exception {
        Objects.requireNonNull(config, "config");
        DemoService service = new DemoService();
        try {
            service.open(config);
            return service;
        } catch (Exception | Error e) {
            service.close();
            throw e;
        }
    }

    private void open(Config config) throws Exception {
        // Metrics: common tags first, before any meter exists (filters do not rewrite existing meters).
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        resources.push(registry::close);
        CommonTags.builder().service("orders").env(config.env()).instance(hostname()).build().applyTo(registry);
        // Logins, business events, active users: the registry's one ActiveUsers, shared with the filter.
        ApplicationMetrics app = ApplicationMetrics.register(registry);
        Operations operations = Operations.register(registry);   // order placement, cache refresh

        // Database: H2 in memory behind HikariCP, wrapped once; everything uses the wrapper.
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl("jdbc:h2:mem:orders-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        pool.setUsername("sa");
        pool.setPoolName("orders");
        pool.setMaximumPoolSize(4);
        MonitoredDataSource db = MonitoredDataSource.builder(new HikariDataSource(pool), registry)
                .name("orders").build();
        resources.push(db);   // closes the pool too
        OrderStore store = new OrderStore(db);
        store.createSchema();

        // Cache: the monitoring must exist before connect(), Lettuce attaches listeners when connecting.
        RedisURI redisUri = RedisURI.create(config.redisUri());
        redisUri.setTimeout(REDIS_COMMAND_TIMEOUT);
        ClientResources clientResources = DefaultClientResources.builder()
                .ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        resources.push(() -> clientResources.shutdown(0, 2, TimeUnit.SECONDS).get());
        RedisClient redisClient = RedisClient.create(clientResources, redisUri);
        // While Redis is down, fail commands at once (the cache falls back to the database) instead of queueing.
        redisClient.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        resources.push(() -> redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
        LettuceMonitoring redis = LettuceMonitoring.builder(redisClient, registry)
                .cacheName("orders").serverInfo(redisUri).build();
        resources.push(redis);
        StatefulRedisConnection<String, String> redisConnection = redisClient.connect();
        // Closed by redisClient.shutdown().
        OrderCache cache = new OrderCache(redisConnection.sync());

        // Health: checks run on Vigil's threads, probes read the latest results.
        CheckOptions dependency = CheckOptions.builder().groups("readiness").interval(DEPENDENCY_CHECK_INTERVAL)
                .build();
        HealthRegistry health = HealthRegistry.builder(registry)
                .register("db", DataSourceHealthCheck.of(db), dependency)
                .register("redis", RedisHealthCheck.builder().lettuce(redisConnection.async()).build(), dependency)
                .register("deadlocks", HealthChecks.deadlocks(), CheckOptions.builder().groups("liveness").build())
                .register("disk", HealthChecks.disk().build(),
                        CheckOptions.builder().groups("readiness", "startup").interval(Duration.ofSeconds(30)).build())
                .build().start();
        resources.push(health);
        SystemMetrics system = SystemMetrics.bindTo(registry);   // USE metrics + JVM binders
        resources.push(system);

        // HTTP: the monitoring filter first in the chain, plus the scrape and probe endpoints.
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        server.setErrorHandler(errors);

        ServletContextHandler context = new ServletContextHandler("/");
        org.eclipse.jetty.ee10.servlet.ErrorHandler contextErrors = new org.eclipse.jetty.ee10.servlet.ErrorHandler();
        contextErrors.setShowStacks(false);
        context.setErrorHandler(contextErrors);
        FilterHolder monitoring = new FilterHolder(MonitoringFilter.builder(registry)
                .exclude("/metrics", "/health/**")
                .build());
        monitoring.setAsyncSupported(true);
        context.addFilter(monitoring, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder("orders", new OrdersServlet(store, cache, app, operations)), "/orders/*");
        context.addServlet(new ServletHolder("slow", new SlowServlet(app)), "/slow");
        context.addServlet(MetricsServlet.builder(registry).build(), "/metrics");
        HealthServlet.Builder probes = HealthServlet.builder(health);
        if (config.opsToken() != null) {
            probes.showDetails(HealthServlet.ShowDetails.WHEN_AUTHORIZED).detailsToken(config.opsToken());
        }
        context.addServlet(probes.build(), "/health/*");
        server.setHandler(context);
        resources.push(server::stop);
        server.start();
    }

    /** The port the service listens on (the chosen one when started on port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Stops HTTP first, then health checks, metrics, Redis and the database; the registry last. */
    @Override
    public void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("Shutdown step failed: {}", e.toString());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.fromEnvironment(args, System.getenv());
        DemoService service = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "demo-shutdown"));
        LOG.info("Orders demo on http://{}:{} (metrics at /metrics, probes at /health), Redis at {}",
                config.host(), service.port(), redisAddress(config.redisUri()));
        service.server.join();
    }

    /** Host and port only: a Redis URI may carry a password. */
    private static String redisAddress(String uri) {
        RedisURI parsed = RedisURI.create(uri);
        return parsed.getHost() + ":" + parsed.getPort();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
