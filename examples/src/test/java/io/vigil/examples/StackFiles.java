package io.vigil.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The monitoring stack's files under {@code monitoring/} as the tests read them: YAML (one or several documents),
 * Grafana dashboards, and what they ask of the demo (HTTP paths).
 */
final class StackFiles {

    static final Path MONITORING = Path.of("monitoring");
    static final Path COMPOSE = MONITORING.resolve("docker-compose.monitoring.yml");
    static final Path SWARM = MONITORING.resolve("swarm").resolve("vigil-stack.yml");
    static final Path KUBERNETES = MONITORING.resolve("kubernetes");
    static final Path DASHBOARDS = MONITORING.resolve("grafana").resolve("dashboards");
    static final Path DOCKERFILE = Path.of("Dockerfile");
    /** The Prometheus configurations that scrape and probe the demo. */
    static final List<Path> PROMETHEUS_CONFIGS = List.of(MONITORING.resolve("prometheus").resolve("prometheus.yml"),
            MONITORING.resolve("prometheus").resolve("prometheus-compose.yml"),
            MONITORING.resolve("prometheus").resolve("prometheus-swarm.yml"));

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private StackFiles() {
    }

    static JsonNode yaml(Path file) {
        List<JsonNode> documents = yamlDocuments(file);
        if (documents.size() != 1) {
            throw new AssertionError(file + " has " + documents.size() + " YAML documents, expected 1");
        }
        return documents.get(0);
    }

    static List<JsonNode> yamlDocuments(Path file) {
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            List<JsonNode> documents = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(node -> {
                if (node != null && !node.isMissingNode() && !node.isNull()) {
                    documents.add(node);
                }
            });
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    /** Every Kubernetes object of {@code kubernetes/}, by kind (one each). */
    static Map<String, JsonNode> kubernetesObjects() {
        Map<String, JsonNode> byKind = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            for (Path file : files.sorted().toList()) {
                for (JsonNode object : yamlDocuments(file)) {
                    String kind = object.path("kind").asText();
                    if (byKind.put(kind, object) != null) {
                        throw new AssertionError("two objects of kind " + kind);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byKind;
    }

    /** Every dashboard file, by file name. */
    static Map<String, JsonNode> dashboards() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                out.put(file.getFileName().toString(), JSON.readTree(file.toFile()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Every HTTP path the stack asks of the demo: the Kubernetes probes, the pod annotation and ServiceMonitor
     * scrape paths, the Prometheus jobs that scrape the demo, and the blackbox exporter's probe targets.
     */
    static Set<String> demoPaths() {
        Set<String> paths = new LinkedHashSet<>();
        Map<String, JsonNode> k8s = kubernetesObjects();
        JsonNode pod = k8s.get("Deployment").path("spec").path("template");
        paths.add(pod.path("metadata").path("annotations").path("prometheus.io/path").asText());
        for (JsonNode container : pod.path("spec").path("containers")) {
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                paths.add(container.path(probe).path("httpGet").path("path").asText());
            }
        }
        for (JsonNode endpoint : k8s.get("ServiceMonitor").path("spec").path("endpoints")) {
            paths.add(endpoint.path("path").asText());
        }
        for (Path config : PROMETHEUS_CONFIGS) {
            for (JsonNode job : yaml(config).path("scrape_configs")) {
                String name = job.path("job_name").asText();
                if (name.startsWith("vigil-")) {
                    paths.add(job.path("metrics_path").asText("/metrics"));
                }
                if (name.startsWith("blackbox")) {
                    for (JsonNode target : job.findValues("targets")) {
                        target.forEach(t -> {
                            URI uri = URI.create(t.asText());
                            if (uri.getHost().equals("demo")) {
                                paths.add(uri.getPath());
                            }
                        });
                    }
                }
            }
        }
        paths.remove("");
        return paths;
    }
}
