package io.vigil.core.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An aggregate: the overall status and the result of each check that contributed to it. Immutable. */
public final class HealthReport {

    private final HealthStatus status;
    private final Map<String, HealthResult> components;

    public HealthReport(HealthStatus status, Map<String, HealthResult> components) {
        this.status = status;
        this.components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
    }

    public HealthStatus status() {
        return status;
    }

    public Map<String, HealthResult> components() {
        return components;
    }
}
