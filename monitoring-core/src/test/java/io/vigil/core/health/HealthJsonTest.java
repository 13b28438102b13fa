package io.vigil.core.health;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HealthJsonTest {

    private static HealthReport report() {
        Map<String, HealthResult> components = new LinkedHashMap<>();
        components.put("db", HealthResult.builder(HealthStatus.UP).detail("latencyMs", 3).build()
                .timed(Duration.ofMillis(4), Instant.parse("2026-11-29T07:00:00Z")));
        components.put("disk", HealthResult.builder(HealthStatus.DEGRADED)
                .detail("path", "/var \"data\"").detail("mounts", List.of("/", "/var")).build());
        components.put("redis", HealthResult.down(new java.net.ConnectException("Connection refused")));
        return new HealthReport(HealthStatus.DOWN, components);
    }

    @Test
    void actuatorShapeWithDetails() {
        assertThat(HealthJson.actuator(report(), true)).isEqualTo("{\"status\":\"DOWN\",\"components\":{"
                + "\"db\":{\"status\":\"UP\",\"details\":{\"latencyMs\":3,\"durationMs\":4.0,"
                + "\"checkedAt\":\"2026-11-29T07:00:00Z\"}},"
                + "\"disk\":{\"status\":\"DEGRADED\",\"details\":{\"path\":\"/var \\\"data\\\"\",\"mounts\":[\"/\",\"/var\"]}},"
                + "\"redis\":{\"status\":\"DOWN\",\"details\":{\"error\":\"java.net.ConnectException: Connection refused\"}}}}");
    }

    @Test
    void actuatorShapeWithoutDetailsShowsOnlyTheStatus() {
        assertThat(HealthJson.actuator(report(), false)).isEqualTo("{\"status\":\"DOWN\"}");
        assertThat(HealthJson.actuator(HealthResult.up(), true)).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void microProfileShapeKnowsOnlyUpAndDown() {
        assertThat(HealthJson.microProfile(report())).startsWith("{\"status\":\"DOWN\",\"checks\":[")
                .contains("{\"name\":\"disk\",\"status\":\"UP\",\"data\":{")
                .contains("{\"name\":\"redis\",\"status\":\"DOWN\",\"data\":{\"error\":");
    }

    @Test
    void controlCharactersAreEscaped() {
        HealthResult result = HealthResult.builder(HealthStatus.UP).detail("m", "a\nb\u0001").build();
        assertThat(HealthJson.actuator(result, true)).isEqualTo("{\"status\":\"UP\",\"details\":{\"m\":\"a\\nb\\u0001\"}}");
    }

    @Test
    void statusOrderAndHttpCodes() {
        assertThat(HealthStatus.UP.worst(HealthStatus.DEGRADED)).isEqualTo(HealthStatus.DEGRADED);
        assertThat(HealthStatus.DOWN.worst(HealthStatus.OUT_OF_SERVICE)).isEqualTo(HealthStatus.DOWN);
        assertThat(HealthStatus.UNKNOWN.worst(HealthStatus.UP)).isEqualTo(HealthStatus.UP);
        assertThat(HealthStatus.OUT_OF_SERVICE.worst(HealthStatus.DEGRADED)).isEqualTo(HealthStatus.OUT_OF_SERVICE);
        assertThat(HealthStatus.UP.httpStatus()).isEqualTo(200);
        assertThat(HealthStatus.DEGRADED.httpStatus()).isEqualTo(200);
        assertThat(HealthStatus.OUT_OF_SERVICE.httpStatus()).isEqualTo(503);
        assertThat(HealthStatus.DOWN.httpStatus()).isEqualTo(503);
    }
}
