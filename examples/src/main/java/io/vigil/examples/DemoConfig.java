package io.vigil.examples;

import io.lettuce.core.RedisURI;
import redis.embedded.core.ExecutableProvider;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the demo needs from its environment. Every default runs on what the demo ships: H2 in memory and a
 * redis-server started from the binary bundled in its jar. Immutable; bad values fail when built, with a
 * message that names the setting.
 *
 * <pre>{@code
 * DemoConfig config = DemoConfig.builder().port(0).redisUri("redis://cache:6379/0").build();
 * }</pre>
 */
public final class DemoConfig {

    static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(2);
    static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_SHUTDOWN_STEP = Duration.ofMinutes(10);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s)?");

    private final String host;
    private final int port;
    private final String redisUri;
    private final String databaseUrl;
    private final String databaseUser;
    private final String databasePassword;
    private final String opsToken;
    private final String env;
    private final Duration shutdownGrace;
    private final Duration drainTimeout;
    private final ExecutableProvider redisBinary;
    private final URI webhookUrl;
    private final boolean traffic;
    private final Clock alertClock;

    private DemoConfig(Builder builder) {
        this.host = builder.host;
        this.port = builder.port;
        this.redisUri = builder.redisUri;
        this.databaseUrl = builder.databaseUrl;
        this.databaseUser = builder.databaseUser;
        this.databasePassword = builder.databasePassword;
        this.opsToken = builder.opsToken;
        this.env = builder.env;
        this.shutdownGrace = builder.shutdownGrace;
        this.drainTimeout = builder.drainTimeout;
        this.redisBinary = builder.redisBinary;
        this.webhookUrl = builder.webhookUrl;
        this.traffic = builder.traffic;
        this.alertClock = builder.alertClock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Options {@code --traffic} (start the built-in load generator's tour) and {@code --webhook=<url>} (also
     * notify this URL; wins over {@code WEBHOOK_URL}), then arguments {@code [port] [redis-uri]}, which win over
     * the environment: {@code PORT} (8080), {@code REDIS_URI}
     * (none: the bundled redis-server), {@code DATABASE_URL} (none: H2 in memory), {@code DATABASE_USER},
     * {@code DATABASE_PASSWORD}, {@code BIND_HOST} ({@code 127.0.0.1}), {@code OPS_TOKEN} (none),
     * {@code VIGIL_ENV} ({@code dev}), {@code SHUTDOWN_GRACE} (2s), {@code DRAIN_TIMEOUT} (10s).
     *
     * @throws IllegalArgumentException naming the variable or argument that is wrong
     */
    public static DemoConfig fromEnvironment(String[] arguments, Map<String, String> environment) {
        Builder builder = builder();
        List<String> positional = new ArrayList<>();
        String webhook = environment.get("WEBHOOK_URL");
        String webhookName = "WEBHOOK_URL";
        for (String argument : arguments) {
            if (argument.equals("--traffic")) {
                builder.traffic(true);
            } else if (argument.startsWith("--webhook=")) {
                webhook = argument.substring("--webhook=".length());
                webhookName = "--webhook";
            } else if (argument.startsWith("--")) {
                throw new IllegalArgumentException("unknown option '" + optionName(argument)
                        + "' (options: --traffic, --webhook=<url>)");
            } else {
                positional.add(argument);
            }
        }
        if (positional.size() > 2) {
            throw new IllegalArgumentException("expected at most two arguments, [port] [redis-uri], but got "
                    + positional.size());
        }
        String[] args = positional.toArray(String[]::new);
        if (webhook != null && !webhook.isBlank()) {
            builder.webhookUrl(parseWebhook(webhook, webhookName));
        }
        String port = args.length > 0 ? args[0] : environment.get("PORT");
        if (port != null) {
            builder.port(parsePort(port, args.length > 0 ? "the port argument" : "PORT"));
        }
        String redis = args.length > 1 ? args[1] : environment.get("REDIS_URI");
        if (redis != null && !redis.isBlank()) {
            builder.redisUri(redis);
        }
        String database = environment.get("DATABASE_URL");
        if (database != null && !database.isBlank()) {
            builder.database(database, environment.get("DATABASE_USER"), environment.get("DATABASE_PASSWORD"));
        }
        builder.host(environment.getOrDefault("BIND_HOST", "127.0.0.1"));
        builder.opsToken(environment.get("OPS_TOKEN"));
        builder.env(environment.getOrDefault("VIGIL_ENV", "dev"));
        String grace = environment.get("SHUTDOWN_GRACE");
        if (grace != null) {
            builder.shutdownGrace(parseDuration(grace, "SHUTDOWN_GRACE"));
        }
        String drain = environment.get("DRAIN_TIMEOUT");
        if (drain != null) {
            builder.drainTimeout(parseDuration(drain, "DRAIN_TIMEOUT"));
        }
        return builder.build();
    }

    /** The interface to listen on. */
    public String host() {
        return host;
    }

    /** The HTTP port; 0 lets the OS choose (see {@link DemoService#port()}). */
    public int port() {
        return port;
    }

    /** An external Redis, or null to start the bundled redis-server. */
    public String redisUri() {
        return redisUri;
    }

    /** A JDBC URL (PostgreSQL or H2), or null for H2 in memory. */
    public String databaseUrl() {
        return databaseUrl;
    }

    public String databaseUser() {
        return databaseUser;
    }

    public String databasePassword() {
        return databasePassword;
    }

    /** The bearer token that shows health details, or null to never show them. */
    public String opsToken() {
        return opsToken;
    }

    /** The {@code env} tag of every series. */
    public String env() {
        return env;
    }

    /** How long readiness answers 503 on shutdown, while requests are still served, before the port closes. */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /** How long requests in flight when the port closes may take to finish before they are cut off. */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    ExecutableProvider redisBinary() {
        return redisBinary;
    }

    /** Where alert notifications are posted besides the log (Alertmanager's webhook message), or null. */
    public URI webhookUrl() {
        return webhookUrl;
    }

    /** Whether the built-in load generator runs its tour (error burst, slow phase, Redis outage). */
    public boolean traffic() {
        return traffic;
    }

    /** Tests: the clock of the alert engine and manager, which then run only when the test ticks them. */
    Clock alertClock() {
        return alertClock;
    }

    /** Without the token, passwords or URL parameters (a Redis or JDBC URL may carry a password). */
    @Override
    public String toString() {
        return "DemoConfig[host=" + host + ", port=" + port + ", redis="
                + (redisUri == null ? "bundled" : redisAddress(redisUri)) + ", database="
                + (databaseUrl == null ? "h2-in-memory" : databaseAddress(databaseUrl)) + ", opsToken="
                + (opsToken == null ? "none" : "***") + ", env=" + env + ", shutdownGrace=" + shutdownGrace
                + ", drainTimeout=" + drainTimeout + ", webhook=" + (webhookUrl == null ? "none" : webhookAddress(webhookUrl))
                + ", traffic=" + traffic + "]";
    }

    /** Scheme, host and port only: a webhook's path or query often is its secret (Slack, chat bridges). */
    static String webhookAddress(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "");
    }

    /** Never echoes the value: a webhook URL may carry a token in its path or query. */
    private static URI parseWebhook(String text, String name) {
        URI url;
        try {
            url = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " must be an http(s) URL such as https://hooks.example/alerts"
                    + " but is not a URL (" + e.getReason() + ")");
        }
        if (url.getScheme() == null || !(url.getScheme().equalsIgnoreCase("http")
                || url.getScheme().equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException(name + " must be an http(s) URL such as https://hooks.example/alerts"
                    + " but its scheme is '" + (url.getScheme() == null ? "" : url.getScheme()) + "'");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException(name + " must be an http(s) URL such as https://hooks.example/alerts"
                    + " but names no host");
        }
        return url;
    }

    /** The option's name only ({@code --x=secret} shows {@code --x}). */
    private static String optionName(String option) {
        int equals = option.indexOf('=');
        String name = equals >= 0 ? option.substring(0, equals) : option;
        return name.length() > 32 ? name.substring(0, 32) + "…" : name;
    }

    /** Host and port only: a Redis URI may carry a password. */
    static String redisAddress(String uri) {
        RedisURI parsed = RedisURI.create(uri);
        return parsed.getHost() + ":" + parsed.getPort();
    }

    /** The URL up to its parameters ({@code ?} or {@code ;}), which may carry a password. */
    static String databaseAddress(String url) {
        int end = url.length();
        for (char separator : new char[] {'?', ';'}) {
            int at = url.indexOf(separator);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String address = url.substring(0, end);
        int credentials = address.indexOf('@');
        int authority = address.indexOf("//");
        if (credentials >= 0 && authority >= 0 && credentials > authority) {
            address = address.substring(0, authority + 2) + address.substring(credentials + 1);
        }
        return address;
    }

    private static int parsePort(String text, String name) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number between 0 and 65535 but was '" + text
                    + "'", e);
        }
    }

    private static Duration parseDuration(String text, String name) {
        Matcher matcher = DURATION.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(name + " must be a duration such as 10s or 500ms but was '" + text
                    + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        return "ms".equals(matcher.group(2)) ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private String redisUri;
        private String databaseUrl;
        private String databaseUser;
        private String databasePassword;
        private String opsToken;
        private String env = "dev";
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private ExecutableProvider redisBinary;
        private URI webhookUrl;
        private boolean traffic;
        private Clock alertClock;

        private Builder() {
        }

        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("the bind host must not be blank");
            }
            this.host = host.trim();
            return this;
        }

        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("the port must be between 0 and 65535 but was " + port);
            }
            this.port = port;
            return this;
        }

        /** An external Redis, e.g. {@code redis://:password@host:6379/0}; null for the bundled redis-server. */
        public Builder redisUri(String redisUri) {
            if (redisUri != null) {
                try {
                    RedisURI.create(redisUri);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("the Redis URI is not one (redis://host:port/db): "
                            + e.getMessage(), e);
                }
            }
            this.redisUri = redisUri;
            return this;
        }

        /**
         * A JDBC URL for a driver the demo ships (PostgreSQL, H2) and its credentials (either may be null, e.g.
         * when the URL carries them); a null URL means H2 in memory.
         */
        public Builder database(String url, String user, String password) {
            if (url != null) {
                if (!url.startsWith("jdbc:")) {
                    throw new IllegalArgumentException("the database URL must be a JDBC URL (jdbc:postgresql://"
                            + "host:5432/db) but starts with '" + prefix(url) + "'");
                }
                requireDriver(url);
            }
            this.databaseUrl = url;
            this.databaseUser = url == null ? null : blankToNull(user);
            this.databasePassword = url == null ? null : blankToNull(password);
            return this;
        }

        public Builder opsToken(String opsToken) {
            this.opsToken = blankToNull(opsToken);
            return this;
        }

        public Builder env(String env) {
            if (env == null || env.isBlank()) {
                throw new IllegalArgumentException("the env label must not be blank");
            }
            this.env = env;
            return this;
        }

        /** 0 to 10 minutes; default 2 s. A Kubernetes readiness probe needs about period × failureThreshold. */
        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = shutdownStep(grace, "the shutdown grace");
            return this;
        }

        /** 0 to 10 minutes; default 10 s. */
        public Builder drainTimeout(Duration drain) {
            this.drainTimeout = shutdownStep(drain, "the drain timeout");
            return this;
        }

        /** Where the bundled redis-server comes from (tests: a binary that cannot run). */
        Builder redisBinary(ExecutableProvider binary) {
            this.redisBinary = Objects.requireNonNull(binary, "binary");
            return this;
        }

        /** Also notify this http(s) URL (Alertmanager's webhook message); null: the log only. */
        public Builder webhookUrl(URI url) {
            if (url != null) {
                parseWebhook(url.toString(), "the webhook URL");
            }
            this.webhookUrl = url;
            return this;
        }

        /** Starts the built-in load generator's tour (see {@code TrafficSchedule}). */
        public Builder traffic(boolean traffic) {
            this.traffic = traffic;
            return this;
        }

        /** Tests: alerts evaluate and deliver on this clock, only when the test ticks them. */
        Builder alertClock(Clock clock) {
            this.alertClock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public DemoConfig build() {
            return new DemoConfig(this);
        }

        private static Duration shutdownStep(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.compareTo(MAX_SHUTDOWN_STEP) > 0) {
                throw new IllegalArgumentException(name + " must be between 0 and 10 minutes but was " + value);
            }
            return value;
        }

        private static void requireDriver(String url) {
            try {
                Driver driver = DriverManager.getDriver(url);
                Objects.requireNonNull(driver);
            } catch (SQLException e) {
                throw new IllegalArgumentException("no JDBC driver for the database URL '" + prefix(url)
                        + "…' (the demo ships PostgreSQL and H2)", e);
            }
        }

        /** The scheme part only: never echo a whole URL that may carry a password. */
        private static String prefix(String url) {
            int scheme = url.indexOf(':', url.startsWith("jdbc:") ? "jdbc:".length() : 0);
            return scheme > 0 && scheme <= 24 ? url.substring(0, scheme + 1) : "";
        }

        private static String blankToNull(String text) {
            return text == null || text.isBlank() ? null : text;
        }
    }
}
