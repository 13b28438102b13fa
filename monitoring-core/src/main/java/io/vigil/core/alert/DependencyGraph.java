package io.vigil.core.alert;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Alertmanager lacks: which service depends on which ({@code checkout → orders-db}), read from one alert
 * label ({@code service} by default). While an alert of a dependency fires, alerts of its dependents (direct or
 * transitive) that start within {@link #window()} after it join its {@link Incident} as symptoms instead of
 * notifying on their own. Cycles are rejected when the graph is built. Immutable.
 *
 * <p>A root that is itself silenced or inhibited still explains its symptoms (as an inhibiting alert counts in
 * Alertmanager even when silenced): a silenced database maintenance pages neither for the database nor for what
 * it causes upstream. Symptoms that are themselves silenced or inhibited are left out of notifications.
 *
 * <pre>{@code
 * DependencyGraph graph = DependencyGraph.builder()
 *         .dependsOn("checkout", "orders-db", "cache")
 *         .dependsOn("orders", "orders-db")
 *         .window(Duration.ofMinutes(5))
 *         .build();
 * }</pre>
 */
public final class DependencyGraph {

    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    private final String label;
    private final Duration window;
    private final Map<String, Set<String>> direct;
    private final Map<String, Set<String>> transitive;

    private DependencyGraph(Builder b) {
        this.label = b.label;
        this.window = b.window;
        Map<String, Set<String>> edges = new LinkedHashMap<>();
        b.edges.forEach((service, deps) -> edges.put(service, Collections.unmodifiableSet(new LinkedHashSet<>(deps))));
        this.direct = Collections.unmodifiableMap(edges);
        rejectCycles(edges);
        Map<String, Set<String>> closure = new HashMap<>();
        for (String service : edges.keySet()) {
            Set<String> reach = new LinkedHashSet<>();
            Deque<String> todo = new ArrayDeque<>(edges.get(service));
            while (!todo.isEmpty()) {
                String next = todo.pop();
                if (reach.add(next)) {
                    todo.addAll(edges.getOrDefault(next, Set.of()));
                }
            }
            closure.put(service, Collections.unmodifiableSet(reach));
        }
        this.transitive = Collections.unmodifiableMap(closure);
    }

    /** No dependencies: every alert is its own incident, as in Alertmanager. */
    public static DependencyGraph none() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The alert label naming an alert's service. */
    public String label() {
        return label;
    }

    public Duration window() {
        return window;
    }

    /** Direct dependencies per service, as declared. */
    public Map<String, Set<String>> dependencies() {
        return direct;
    }

    /** Every service {@code service} depends on, directly or not. */
    public Set<String> dependenciesOf(String service) {
        return transitive.getOrDefault(service, Set.of());
    }

    boolean isEmpty() {
        return direct.isEmpty();
    }

    private static void rejectCycles(Map<String, Set<String>> edges) {
        Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
        for (String start : edges.keySet()) {
            List<String> path = new ArrayList<>();
            visit(start, edges, state, path);
        }
    }

    private static void visit(String service, Map<String, Set<String>> edges, Map<String, Integer> state, List<String> path) {
        Integer seen = state.get(service);
        if (seen != null && seen == 2) {
            return;
        }
        if (seen != null) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(service), path.size()));
            cycle.add(service);
            throw new IllegalArgumentException("dependency cycle: " + String.join(" → ", cycle));
        }
        state.put(service, 1);
        path.add(service);
        for (String dep : edges.getOrDefault(service, Set.of())) {
            visit(dep, edges, state, path);
        }
        path.remove(path.size() - 1);
        state.put(service, 2);
    }

    public static final class Builder {
        private String label = "service";
        private Duration window = DEFAULT_WINDOW;
        private final Map<String, Set<String>> edges = new LinkedHashMap<>();

        private Builder() {
        }

        /** The alert label that names the service (default {@code service}). */
        public Builder label(String label) {
            if (!LabelSets.isValidName(label)) {
                throw new IllegalArgumentException("invalid label name '" + label + "'");
            }
            this.label = label;
            return this;
        }

        /** How long after a root alert starts a dependent's alert still counts as its symptom (default 5 min). */
        public Builder window(Duration window) {
            if (window == null || window.isNegative()) {
                throw new IllegalArgumentException("window must not be negative: " + window);
            }
            this.window = window;
            return this;
        }

        /** {@code service → each of dependencies}. */
        public Builder dependsOn(String service, String... dependencies) {
            requireName(service);
            Set<String> deps = edges.computeIfAbsent(service, s -> new LinkedHashSet<>());
            for (String dependency : dependencies) {
                requireName(dependency);
                deps.add(dependency);
            }
            return this;
        }

        public DependencyGraph build() {
            return new DependencyGraph(this);
        }

        private static void requireName(String service) {
            if (service == null || service.isEmpty()) {
                throw new IllegalArgumentException("service name must not be empty");
            }
        }
    }
}
