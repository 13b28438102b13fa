package io.vigil.examples;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the demo reads its configuration: arguments over environment over defaults. */
class DemoConfigTest {

    @Test
    void defaultsSuitALocalRun() {
        DemoService.Config config = DemoService.Config.fromEnvironment(new String[0], Map.of());
        assertThat(config).isEqualTo(new DemoService.Config("127.0.0.1", 8080, "redis://localhost:6379", null, "dev"));
    }

    @Test
    void argumentsWinOverTheEnvironment() {
        Map<String, String> environment = Map.of("PORT", "9000", "REDIS_URI", "redis://cache:6379", "BIND_HOST",
                "0.0.0.0", "OPS_TOKEN", "t0ken", "VIGIL_ENV", "staging");
        assertThat(DemoService.Config.fromEnvironment(new String[0], environment))
                .isEqualTo(new DemoService.Config("0.0.0.0", 9000, "redis://cache:6379", "t0ken", "staging"));
        assertThat(DemoService.Config.fromEnvironment(new String[] {"8081", "redis://other:6380/1"}, environment))
                .isEqualTo(new DemoService.Config("0.0.0.0", 8081, "redis://other:6380/1", "t0ken", "staging"));
    }

    @Test
    void badValuesFailClearly() {
        assertThatThrownBy(() -> DemoService.Config.fromEnvironment(new String[] {"http"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'http'");
        assertThatThrownBy(() -> new DemoService.Config("127.0.0.1", 70_000, "redis://localhost", null, "dev"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
        assertThatThrownBy(() -> new DemoService.Config("127.0.0.1", 0, "http://cache:6379", null, "dev"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redisUri");
        assertThat(new DemoService.Config("127.0.0.1", 0, "redis://localhost", " ", "dev").opsToken()).isNull();
    }

    @Test
    void toStringHidesSecrets() {
        assertThat(new DemoService.Config("127.0.0.1", 8080, "redis://:hunter2@cache:6379/0", "t0ken", "dev"))
                .hasToString("Config[host=127.0.0.1, port=8080, redis=cache:6379, opsToken=***, env=dev]");
    }
}
