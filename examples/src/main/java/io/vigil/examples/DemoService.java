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
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.alerts.AlertEngine;
import io.vigil.alerts.AlertManager;
import io.vigil.alerts.AlertsServlet;
import io.vigil.alerts.EscalationPolicy;
import io.vigil.alerts.NotificationChannel;
import io.vigil.alerts.RuleFiles;
import io.vigil.core.alert.DependencyGraph;
import io.vigil.core.app.ApplicationMetrics;
import io.vigil.core.catalog.CommonTags;
import io.vigil.core.clock.CoarseClock;
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
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A small "orders" HTTP service wired with every Vigil module as the root README's quick start shows:
 * RED metrics for HTTP, the database (through HikariCP) and Redis (through Lettuce), USE metrics of the
 * machine, a Prometheus scrape endpoint and Kubernetes probes.
 *
 * <pre>
 * GET  /orders/{id}   read-through cache: Redis GET, on a miss a database SELECT then a Redis SET; 404 when absent
 * POST /orders        item=...&amp;quantity=... (form), INSERT in a transaction; 201 with Location
 * GET  /slow          sleeps 50 ms
 * GET  /metrics       Prometheus scrape
 * GET  /health, /health/live, /health/ready, /health/started, /health/{check}
 * GET  /alerts/api/v2/alerts, /alerts/api/vigil/incidents, ...   Vigil's Alertmanager-compatible API
 * </pre>
 *
 * Vigil's rule pack and the orders dependency rules run in process on the demo's own registry; alerts are
 * correlated by the shipped {@code alertmanager.yml} and the graph {@code orders → orders-db, cache}, and delivered
 * to the log (and a webhook when given). {@code --traffic} runs the {@link TrafficSchedule#tour()}.
 *
 * With no configuration it runs on what it ships: Jetty, H2 in memory and the redis-server binary bundled by
 * embedded-redis. {@code java -jar examples/target/vigil-demo.jar [port] [redis-uri]}; see
 * {@link DemoConfig#fromEnvironment}. SIGTERM stops it gracefully (readiness 503, a grace, a bounded drain),
 * exit status 0.
 */
public final class DemoService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoService.class);

    /** How often the database and Redis checks run; probes only read the latest results. */
    static final Duration DEPENDENCY_CHECK_INTERVAL = Duration.ofSeconds(2);
    /** A cache answers fast or not at all: a slow Redis must not hold request threads for Lettuce's 60 s. */
    static final Duration REDIS_COMMAND_TIMEOUT = Duration.ofMillis(500);
    /** How long the first connection to Redis may take at startup. */
    static final Duration REDIS_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The services the orders demo depends on, as its alerts name them in their {@code service} label. */
    static final DependencyGraph DEPENDENCIES = DependencyGraph.builder().dependsOn("orders", "orders-db", "cache")
            .build();
    /** Where the shipped monitoring files are on the classpath (copied there from examples/monitoring by the build). */
    static final String MONITORING_RESOURCES = "/io/vigil/examples/monitoring/";
    /** The tour's alerts wait 1 minute instead of the pack's 5 and 10, so that the tour fits in minutes. */
    static final Duration TOUR_FOR = Duration.ofMinutes(1);
    /** Without acknowledgement, a page goes to level 1 (the same channels again) after this long. */
    static final Duration ESCALATE_AFTER = Duration.ofMinutes(2);
    /** Exit status of {@link #main} when the configuration is invalid, and when the environment refuses. */
    static final int EXIT_BAD_CONFIGURATION = 2;
    static final int EXIT_CANNOT_START = 1;

    private final DemoConfig config;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private Server server;
    private ServerConnector connector;
    private DrainingHealth probes;
    private String databaseDescription;
    private String cacheDescription = "none";
    private EmbeddedRedis embeddedRedis;
    private Faults faults;
    private AlertEngine alertEngine;
    private AlertManager alertManager;
    private TrafficGenerator traffic;
    private boolean stopped;

    private DemoService(DemoConfig config) {
        this.config = config;
    }

    /**
     * Starts the service; on failure everything started so far (redis-server included) is stopped again.
     *
     * @throws DemoStartException when the port cannot be bound or the database or Redis cannot be reached
     */
    public static DemoService start(DemoConfig config) throws DemoStartException {
        Objects.requireNonNull(config, "config");
        DemoService service = new DemoService(config);
        try {
            service.open();
            return service;
        } catch (Exception | Error e) {
            service.stop();
            if (e instanceof DemoStartException) {
                throw (DemoStartException) e;
            }
            if (e instanceof Error) {
                throw (Error) e;
            }
            throw new DemoStartException("cannot start", e);
        }
    }

    private void open() throws Exception {
        // Metrics: common tags first, before any meter exists (filters do not rewrite existing meters).
        // CoarseClock: Micrometer's per-record wall-clock reads served from a cache (see the root README)
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                new PrometheusRegistry(), CoarseClock.shared());
        resources.push(registry::close);
        CommonTags.builder().service("orders").env(config.env()).instance(hostname()).build().applyTo(registry);
        // Logins, business events, active users: the registry's one ActiveUsers, shared with the filter.
        ApplicationMetrics app = ApplicationMetrics.register(registry);
        Operations operations = Operations.register(registry);   // order placement, cache refresh

        // The port first: a port taken fails the start before anything else is started.
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);
        resources.push(connector::close);
        try {
            connector.open();
        } catch (IOException e) {
            throw new DemoStartException("cannot listen on " + config.host() + ":" + config.port(), e);
        }

        // Database: H2 in memory unless a URL is given; reached once by its driver, so that an unreachable
        // database is one clear error instead of a pool's stack trace.
        String jdbcUrl = config.databaseUrl() != null ? config.databaseUrl()
                : "jdbc:h2:mem:orders-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String user = config.databaseUrl() != null ? config.databaseUser() : "sa";
        databaseDescription = config.databaseUrl() != null ? DemoConfig.databaseAddress(jdbcUrl) : "H2 in memory";
        checkDatabase(jdbcUrl, user, config.databasePassword());

        // Cache: an external Redis when given, else the bundled redis-server, else none.
        Optional<StatefulRedisConnection<String, String>> redisConnection = openRedis(registry);
        OrderCache cache = redisConnection.map(connection -> new OrderCache(connection.sync()))
                .orElseGet(OrderCache::none);

        // The pool, wrapped once; everything uses the wrapper.
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        pool.setUsername(user);
        pool.setPassword(config.databasePassword());
        pool.setPoolName("orders");
        pool.setMaximumPoolSize(4);
        MonitoredDataSource db = MonitoredDataSource.builder(new HikariDataSource(pool), registry)
                .name("orders").build();
        resources.push(db);   // closes the pool too
        OrderStore store = new OrderStore(db);
        try {
            store.createSchema();
        } catch (SQLException e) {
            throw new DemoStartException("cannot create the orders table in " + databaseDescription, e);
        }

        // Health: checks run on Vigil's threads, probes read the latest results.
        CheckOptions dependency = CheckOptions.builder().groups("readiness").interval(DEPENDENCY_CHECK_INTERVAL)
                .build();
        HealthRegistry.Builder checks = HealthRegistry.builder(registry)
                .register("db", DataSourceHealthCheck.of(db), dependency)
                .register("deadlocks", HealthChecks.deadlocks(), CheckOptions.builder().groups("liveness").build())
                .register("disk", HealthChecks.disk().build(),
                        CheckOptions.builder().groups("readiness", "startup").interval(Duration.ofSeconds(30)).build());
        redisConnection.ifPresent(connection -> checks.register("redis",
                RedisHealthCheck.builder().lettuce(connection.async()).build(), dependency));
        HealthRegistry health = checks.build().start();
        resources.push(health);
        probes = new DrainingHealth(health);
        SystemMetrics system = SystemMetrics.bindTo(registry);   // USE metrics + JVM binders
        resources.push(system);
        AlertsServlet alertsApi = openAlerts(registry);

        // HTTP: the monitoring filter first in the chain, plus the scrape and probe endpoints.
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        server.setErrorHandler(errors);
        ServletContextHandler context = new ServletContextHandler("/");
        org.eclipse.jetty.ee10.servlet.ErrorHandler contextErrors = new org.eclipse.jetty.ee10.servlet.ErrorHandler();
        contextErrors.setShowStacks(false);
        context.setErrorHandler(contextErrors);
        FilterHolder monitoring = new FilterHolder(MonitoringFilter.builder(registry)
                .exclude("/metrics", "/health/**", "/alerts/**")
                .build());
        monitoring.setAsyncSupported(true);
        context.addFilter(monitoring, "/*", EnumSet.of(DispatcherType.REQUEST));
        // After the monitoring filter, so that what the traffic tour injects is measured as real failures are.
        faults = new Faults();
        context.addFilter(new FilterHolder(faults), "/orders/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder("orders", new OrdersServlet(store, cache, app, operations)), "/orders/*");
        context.addServlet(new ServletHolder("slow", new SlowServlet(app)), "/slow");
        context.addServlet(MetricsServlet.builder(registry).build(), "/metrics");
        HealthServlet.Builder probeServlet = HealthServlet.builder(probes);
        if (config.opsToken() != null) {
            probeServlet.showDetails(HealthServlet.ShowDetails.WHEN_AUTHORIZED).detailsToken(config.opsToken());
        } else if (isLoopback(config.host())) {
            // Only this machine can ask: show every check. Reachable from elsewhere, details need the token.
            probeServlet.showDetails(HealthServlet.ShowDetails.ALWAYS);
        }
        context.addServlet(probeServlet.build(), "/health/*");
        context.addServlet(new ServletHolder("alerts", alertsApi), "/alerts/*");
        // Stopping waits for requests in flight (GracefulHandler counts them) up to the drain timeout.
        server.setHandler(new TraceRejection(new GracefulHandler(context)));
        server.setStopTimeout(config.drainTimeout().toMillis());
        resources.push(server::stop);
        server.start();
        if (config.traffic()) {
            traffic = new TrafficGenerator(URI.create("http://" + EmbeddedRedis.HOST + ":" + port() + "/"),
                    TrafficSchedule.tour(), faults, embeddedRedis).start();
            resources.push(traffic);   // before the server stops: see stop()
        }
    }

    /**
     * Rules → correlation → delivery, in process: Vigil's pack plus the orders dependency rules on this registry,
     * correlated by the shipped alertmanager.yml (route, grouping, inhibition) and {@link #DEPENDENCIES}, delivered to
     * the log and the webhook. Its state (notification log, silences) lives in a temporary directory removed on stop.
     */
    private AlertsServlet openAlerts(PrometheusMeterRegistry registry) throws IOException {
        Path directory = Files.createTempDirectory("vigil-demo-alerts");
        resources.push(() -> deleteTree(directory));
        Path alertmanagerYml = copyResource("alertmanager.yml", directory);
        Path ordersRules = copyResource("orders_rules.yml", directory);
        List<String> channels = new ArrayList<>(List.of("log"));
        Clock clock = config.alertClock() != null ? config.alertClock() : Clock.systemUTC();
        AlertManager.Builder manager = AlertManager.builder(registry)
                .alertmanagerConfig(alertmanagerYml)
                .dependencies(DEPENDENCIES)
                .channel(NotificationChannel.log("log"))
                .stateDirectory(directory.resolve("state"))
                .clock(clock)
                .tickInterval(config.alertClock() != null ? Duration.ZERO : Duration.ofSeconds(1));
        if (config.webhookUrl() != null) {
            manager.channel(NotificationChannel.webhook("webhook", config.webhookUrl()).build());
            channels.add("webhook");
        }
        String[] to = channels.toArray(String[]::new);
        // The receivers of alertmanager.yml deliver through the demo's channels (its URLs are for a real
        // Alertmanager): critical alerts page "oncall", escalated once when nobody acknowledges; the rest "team".
        manager.escalate("oncall", EscalationPolicy.builder().level(Duration.ZERO, to).level(ESCALATE_AFTER, to).build())
                .escalate("team", EscalationPolicy.builder().level(Duration.ZERO, to).build());
        alertManager = manager.build();
        RuleFiles pack = config.traffic() || config.alertClock() != null
                ? RuleFiles.packBuilder().forDuration("VigilHttpHighErrorRatio", TOUR_FOR)
                        .forDuration("VigilHttpHighLatencyP95", TOUR_FOR).forDuration("VigilHttpHighLatencyP99", TOUR_FOR)
                        .build()
                : RuleFiles.pack();
        AlertEngine.Builder engine = AlertEngine.builder(registry).rules(pack).rules(RuleFiles.load(ordersRules))
                .listener(new AlertTransitions()).alertManager(alertManager).clock(clock)
                .externalUrl("http://" + config.host() + ":" + connector.getLocalPort());
        alertEngine = engine.build();
        resources.push(alertEngine);   // closes the manager too
        if (config.alertClock() == null) {
            alertEngine.start();
        }
        return AlertsServlet.builder(alertManager).registry(registry).clock(clock).health(probes).build();
    }

    private static Path copyResource(String name, Path directory) throws IOException {
        Path target = directory.resolve(name);
        try (InputStream in = DemoService.class.getResourceAsStream(MONITORING_RESOURCES + name)) {
            if (in == null) {
                throw new IOException("the demo jar lacks " + MONITORING_RESOURCES + name);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Tests on a hand-moved clock ({@link DemoConfig.Builder#alertClock}): one evaluation, then one delivery cycle. */
    void evaluateAlerts() {
        alertEngine.evaluate();
        alertManager.tick();
    }

    AlertEngine alertEngine() {
        return alertEngine;
    }

    Faults faults() {
        return faults;
    }

    /** The bundled redis-server, or null with an external Redis or none. */
    EmbeddedRedis embeddedRedis() {
        return embeddedRedis;
    }

    private static void checkDatabase(String url, String user, String password) throws DemoStartException {
        Properties credentials = new Properties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        try (Connection connection = DriverManager.getConnection(url, credentials)) {
            if (!connection.isValid(5)) {
                throw new SQLException("the connection is not valid");
            }
        } catch (SQLException e) {
            throw new DemoStartException("cannot connect to the database at " + DemoConfig.databaseAddress(url), e);
        }
    }

    private Optional<StatefulRedisConnection<String, String>> openRedis(PrometheusMeterRegistry registry)
            throws DemoStartException {
        String uri = config.redisUri();
        if (uri == null) {
            Optional<EmbeddedRedis> embedded = EmbeddedRedis.tryStart(config.redisBinary());
            if (embedded.isEmpty()) {
                return Optional.empty();   // tryStart said why, in one line
            }
            resources.push(embedded.get());   // stopped after the client below
            embeddedRedis = embedded.get();
            uri = embedded.get().uri();
            cacheDescription = "redis-server (bundled) on " + EmbeddedRedis.HOST + ":" + embedded.get().port();
        } else {
            cacheDescription = "Redis at " + DemoConfig.redisAddress(uri);
        }
        // Connecting (and the INFO poller's connection) may take the connect timeout; commands on the cache's
        // connection get the short command timeout once it is open (set below).
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(REDIS_CONNECT_TIMEOUT);
        ClientResources clientResources = DefaultClientResources.builder()
                .ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        resources.push(() -> clientResources.shutdown(0, 2, TimeUnit.SECONDS).get());
        RedisClient redisClient = RedisClient.create(clientResources, redisUri);
        // While Redis is down, fail commands at once (the cache falls back to the database) instead of queueing.
        redisClient.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        resources.push(() -> redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
        // One PING on a connection of its own first: an unreachable Redis or a wrong password is one clear error
        // before the monitoring's INFO poller starts (the monitored connection must be opened after it).
        try (StatefulRedisConnection<String, String> probe = redisClient.connect()) {
            probe.sync().ping();
        } catch (RuntimeException e) {
            throw new DemoStartException("cannot connect to Redis at " + DemoConfig.redisAddress(uri), e);
        }
        // The monitoring must exist before connect(): Lettuce attaches listeners when connecting.
        LettuceMonitoring redis = LettuceMonitoring.builder(redisClient, registry)
                .cacheName("orders").serverInfo(redisUri).build();
        resources.push(redis);
        // Closed by redisClient.shutdown().
        StatefulRedisConnection<String, String> connection = redisClient.connect();
        connection.setTimeout(REDIS_COMMAND_TIMEOUT);
        return Optional.of(connection);
    }

    /** The port the service listens on (the chosen one when started on port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /**
     * Stops gracefully, once; later calls wait for the first to finish. Readiness answers 503 at once while
     * requests are still served for {@link DemoConfig#shutdownGrace()}; then the port closes and requests in
     * flight get up to {@link DemoConfig#drainTimeout()} to finish. Then health checks, metrics, Redis (the
     * bundled redis-server too) and the database are closed; the registry last.
     */
    public void stop() {
        stop(config.shutdownGrace());
    }

    /** {@link #stop()} with another grace: an interactive Ctrl-C has no load balancer to wait for. */
    synchronized void stop(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        long began = System.nanoTime();
        if (traffic != null) {
            traffic.close();   // no more generated load while draining
        }
        if (server != null && server.isStarted()) {
            probes.startDraining();
            LOG.info("Shutting down: readiness answers 503; serving {} ms more, then draining for at most {} ms",
                    grace.toMillis(), config.drainTimeout().toMillis());
            sleep(grace);
            try {
                server.stop();
            } catch (TimeoutException e) {
                LOG.warn("Drain timeout of {} ms reached: requests still in flight were cut off",
                        config.drainTimeout().toMillis());
            } catch (Exception e) {
                LOG.warn("Stopping HTTP failed: {}", e.toString());
            }
        }
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("Shutdown step failed: {}", e.toString());
            }
        }
        if (probes != null) {
            LOG.info("Stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        }
    }

    /** The same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Exits 0 after a graceful stop on SIGTERM or SIGINT; 2 on bad configuration, 1 when it cannot start. */
    public static void main(String[] args) {
        DemoConfig config;
        try {
            config = DemoConfig.fromEnvironment(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("vigil-demo: " + e.getMessage());
            System.exit(EXIT_BAD_CONFIGURATION);
            return;
        }
        DemoService service;
        try {
            service = start(config);
        } catch (DemoStartException e) {
            System.err.println("vigil-demo: " + e.getMessage());
            System.exit(EXIT_CANNOT_START);
            return;
        }
        // SIGTERM: a graceful stop, then exit 0; SIGINT (Ctrl-C) the same without the grace. Any other exit (SIGHUP, System.exit): the hook.
        TerminationSignals.onTermination(signal -> {
            service.stop(signal == TerminationSignals.INTERRUPT ? Duration.ZERO : config.shutdownGrace());
            System.exit(0);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(service::stop, "demo-shutdown-hook"));
        LOG.info("Orders demo on http://{}:{} (metrics at /metrics, probes at /health, alerts at /alerts/); database: {};"
                        + " cache: {}; notifications: {}", config.host(), service.port(), service.databaseDescription,
                service.cacheDescription, config.webhookUrl() == null ? "log"
                        : "log and webhook " + DemoConfig.webhookAddress(config.webhookUrl()));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
