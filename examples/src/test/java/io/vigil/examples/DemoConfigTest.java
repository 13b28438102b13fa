package io.vigil.examples;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the demo reads its configuration: arguments over environment over defaults that need nothing installed. */
class DemoConfigTest {

    @Test
    void defaultsNeedNothingInstalled() {
        DemoConfig config = DemoConfig.fromEnvironment(new String[0], Map.of());
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.redisUri()).as("the bundled redis-server").isNull();
        assertThat(config.databaseUrl()).as("H2 in memory").isNull();
        assertThat(config.opsToken()).isNull();
        assertThat(config.env()).isEqualTo("dev");
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void argumentsWinOverTheEnvironment() {
        Map<String, String> environment = Map.of("PORT", "9000", "REDIS_URI", "redis://cache:6379", "BIND_HOST",
                "0.0.0.0", "OPS_TOKEN", "t0ken", "VIGIL_ENV", "staging", "DATABASE_URL",
                "jdbc:postgresql://db:5432/orders", "DATABASE_USER", "app", "DATABASE_PASSWORD", "s3cret",
                "SHUTDOWN_GRACE", "500ms", "DRAIN_TIMEOUT", "30s");
        DemoConfig fromEnvironment = DemoConfig.fromEnvironment(new String[0], environment);
        assertThat(fromEnvironment.port()).isEqualTo(9000);
        assertThat(fromEnvironment.redisUri()).isEqualTo("redis://cache:6379");
        assertThat(fromEnvironment.host()).isEqualTo("0.0.0.0");
        assertThat(fromEnvironment.opsToken()).isEqualTo("t0ken");
        assertThat(fromEnvironment.env()).isEqualTo("staging");
        assertThat(fromEnvironment.databaseUrl()).isEqualTo("jdbc:postgresql://db:5432/orders");
        assertThat(fromEnvironment.databaseUser()).isEqualTo("app");
        assertThat(fromEnvironment.databasePassword()).isEqualTo("s3cret");
        assertThat(fromEnvironment.shutdownGrace()).isEqualTo(Duration.ofMillis(500));
        assertThat(fromEnvironment.drainTimeout()).isEqualTo(Duration.ofSeconds(30));

        DemoConfig fromArguments = DemoConfig.fromEnvironment(new String[] {"8081", "redis://other:6380/1"},
                environment);
        assertThat(fromArguments.port()).isEqualTo(8081);
        assertThat(fromArguments.redisUri()).isEqualTo("redis://other:6380/1");
    }

    @Test
    void badValuesFailNamingTheSetting() {
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(new String[] {"http"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the port argument must be a number between 0 and 65535 but was 'http'");
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(new String[0], Map.of("PORT", "70000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(new String[0], Map.of("REDIS_URI", "http://cache:6379")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("the Redis URI is not one");
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(new String[0],
                Map.of("DATABASE_URL", "jdbc:mysql://db/orders?password=hunter2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no JDBC driver for the database URL 'jdbc:mysql:…' (the demo ships PostgreSQL and H2)");
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(new String[0],
                Map.of("DATABASE_URL", "postgres://app:hunter2@db/orders")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'postgres:'")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(new String[0], Map.of("DRAIN_TIMEOUT", "soon")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DRAIN_TIMEOUT must be a duration such as 10s or 500ms but was 'soon'");
        assertThatThrownBy(() -> DemoConfig.builder().shutdownGrace(Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10 minutes");
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(new String[] {"1", "2", "3"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[port] [redis-uri]");
        assertThat(DemoConfig.builder().opsToken(" ").build().opsToken()).isNull();
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(new String[] {"--webhook=hooks.example/secret-token"},
                Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--webhook must be an http(s) URL such as https://hooks.example/alerts but its scheme is ''");
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(new String[0], Map.of("WEBHOOK_URL", "http://")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("WEBHOOK_URL must be an http(s) URL")
                .hasMessageNotContaining("http://");
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(new String[] {"--trafic"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option '--trafic' (options: --traffic, --webhook=<url>)");
    }

    @Test
    void trafficAndWebhookOptionsMixWithThePositionalArguments() {
        DemoConfig config = DemoConfig.fromEnvironment(new String[] {"--traffic", "8081",
                "--webhook=https://hooks.example/T0KEN"}, Map.of("WEBHOOK_URL", "https://other.example/x"));
        assertThat(config.traffic()).isTrue();
        assertThat(config.port()).isEqualTo(8081);
        assertThat(config.webhookUrl()).hasToString("https://hooks.example/T0KEN");
        assertThat(DemoConfig.fromEnvironment(new String[0], Map.of("WEBHOOK_URL", "http://127.0.0.1:5001/hook"))
                .webhookUrl()).hasToString("http://127.0.0.1:5001/hook");
        assertThat(DemoConfig.fromEnvironment(new String[0], Map.of()).traffic()).isFalse();
        assertThat(config.toString()).contains("webhook=https://hooks.example", "traffic=true").doesNotContain("T0KEN");
    }

    @Test
    void toStringHidesSecrets() {
        DemoConfig config = DemoConfig.builder().redisUri("redis://:hunter2@cache:6379/0").opsToken("t0ken")
                .database("jdbc:postgresql://app:pw1@db:5432/orders?password=pw2", "app", "pw3").build();
        assertThat(config).hasToString("DemoConfig[host=127.0.0.1, port=8080, redis=cache:6379, "
                + "database=jdbc:postgresql://db:5432/orders, opsToken=***, env=dev, shutdownGrace=PT2S, "
                + "drainTimeout=PT10S, webhook=none, traffic=false]");
    }
}
