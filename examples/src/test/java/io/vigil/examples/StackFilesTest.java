package io.vigil.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.alerts.testkit.RealTools;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.vigil.examples.StackFiles.MONITORING;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitoring stack around the demo and its image: what Grafana, Docker Compose, Kubernetes and Docker Swarm
 * need to load the files (the Prometheus and Alertmanager files themselves: {@link MonitoringFilesTest}), parsed
 * (there is no container engine here). Every service, image tag, port, volume and configuration file is checked against the repository and the demo's real settings; that the demo
 * answers every path these files ask of it, and that every dashboard query names only series it emits, is
 * {@link DemoServiceTest#stackFilesAskTheDemoOnlyForPathsItServes} and
 * {@link DemoServiceTest#dashboardQueriesOnlySeriesAndLabelsTheDemoEmits}.
 */
class StackFilesTest {

    /** The compose services and the port each one serves inside the network (the images' defaults). */
    private static final Map<String, Integer> COMPOSE_SERVICES = new LinkedHashMap<>();

    static {
        COMPOSE_SERVICES.put("demo", 8080);
        COMPOSE_SERVICES.put("postgres", 5432);
        COMPOSE_SERVICES.put("redis", 6379);
        COMPOSE_SERVICES.put("prometheus", 9090);
        COMPOSE_SERVICES.put("alertmanager", 9093);
        COMPOSE_SERVICES.put("grafana", 3000);
        COMPOSE_SERVICES.put("node-exporter", 9100);
        COMPOSE_SERVICES.put("cadvisor", 8080);
        COMPOSE_SERVICES.put("redis-exporter", 9121);
        COMPOSE_SERVICES.put("postgres-exporter", 9187);
        COMPOSE_SERVICES.put("blackbox-exporter", 9115);
    }

    /** Host paths the machine-level exporters read (node-exporter, cAdvisor): the host's, not the repository's. */
    private static final Set<String> HOST_SYSTEM_PATHS = Set.of("/", "/var/run", "/sys", "/var/lib/docker", "/dev/disk");
    /** An image reference pinned to a version tag: name:tag, the tag neither latest nor a bare major. */
    private static final Pattern PINNED = Pattern.compile("[a-z0-9./_-]+:(v?\\d+\\.\\d+[0-9A-Za-z._-]*)");

    @Test
    void everyDashboardIsAGrafanaDashboardOnThePrometheusDatasourceVariable() {
        Map<String, JsonNode> dashboards = StackFiles.dashboards();
        assertThat(dashboards.keySet()).containsExactly("vigil-alerts.json", "vigil-cache.json", "vigil-database.json",
                "vigil-jvm-system.json", "vigil-red.json");
        Set<String> uids = new HashSet<>();
        for (Map.Entry<String, JsonNode> file : dashboards.entrySet()) {
            JsonNode dashboard = file.getValue();
            assertThat(uids.add(dashboard.path("uid").asText())).as("unique uid in %s", file.getKey()).isTrue();
            assertThat(file.getKey()).isEqualTo(dashboard.path("uid").asText() + ".json");
            assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
            assertThat(dashboard.path("tags").toString()).contains("\"vigil\"");
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : dashboard.path("panels")) {
                assertThat(ids.add(panel.path("id").asInt())).as("unique panel id %s in %s", panel.path("id"),
                        file.getKey()).isTrue();
                assertThat(panel.path("title").asText()).isNotBlank();
                JsonNode grid = panel.path("gridPos");
                assertThat(grid.path("w").asInt()).isBetween(1, 24);
                assertThat(grid.path("x").asInt() + grid.path("w").asInt()).isLessThanOrEqualTo(24);
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                    assertThat(target.path("expr").asText()).isNotBlank();
                }
            }
            assertThat(dashboard.path("templating").path("list").findValuesAsText("name"))
                    .containsExactly("datasource", "service", "instance");
        }
        JsonNode red = dashboards.get("vigil-red.json");
        List<String> titles = red.path("panels").findValuesAsText("title");
        assertThat(titles).contains("Request rate by route", "Errors by route and status", "Duration p99 by route",
                "DB operation rate", "DB operation latency", "Cache hit ratio", "Health");
    }

    @Test
    void grafanaProvisioningPointsAtTheComposePrometheusAndTheDashboardsMount() {
        JsonNode datasources = StackFiles.yaml(MONITORING.resolve("grafana/provisioning/datasources/prometheus.yml"));
        JsonNode prometheus = datasources.path("datasources").get(0);
        assertThat(prometheus.path("type").asText()).isEqualTo("prometheus");
        assertThat(prometheus.path("isDefault").asBoolean()).isTrue();
        assertThat(serviceAndPort(prometheus.path("url").asText())).isEqualTo("prometheus:9090");
        assertThat(serviceAndPort(datasources.path("datasources").get(1).path("url").asText()))
                .isEqualTo("alertmanager:9093");

        JsonNode providers = StackFiles.yaml(MONITORING.resolve("grafana/provisioning/dashboards/vigil.yml"));
        String dashboardsPath = providers.path("providers").get(0).path("options").path("path").asText();
        JsonNode grafana = StackFiles.yaml(StackFiles.COMPOSE).path("services").path("grafana");
        assertThat(containerToHost(grafana, dashboardsPath)).isEqualTo(StackFiles.DASHBOARDS.normalize());
        assertThat(containerToHost(grafana, "/etc/grafana/provisioning/datasources/prometheus.yml"))
                .isRegularFile();
        String home = grafana.path("environment").path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH").asText();
        assertThat(containerToHost(grafana, home)).isRegularFile();
    }

    @Test
    void composeRunsTheWholeStackOnPinnedImagesWithRepositoryFiles() {
        JsonNode compose = StackFiles.yaml(StackFiles.COMPOSE);
        JsonNode services = compose.path("services");
        assertThat(names(services)).containsExactlyElementsOf(COMPOSE_SERVICES.keySet());
        Set<String> namedVolumes = names(compose.path("volumes"));
        for (Map.Entry<String, JsonNode> service : services.properties()) {
            String name = service.getKey();
            JsonNode spec = service.getValue();
            assertThat(spec.path("image").asText()).as("image of %s", name).matches(PINNED);
            assertThat(spec.path("restart").asText()).as("restart of %s", name).isEqualTo("unless-stopped");
            for (JsonNode volume : spec.path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith("./") || source.startsWith("../")) {
                    assertThat(MONITORING.resolve(source)).as("host path of %s in %s", volume, name).exists();
                } else if (source.startsWith("/")) {
                    assertThat(HOST_SYSTEM_PATHS).as("host path of %s in %s", volume, name).contains(source);
                    assertThat(name).isIn("node-exporter", "cadvisor");
                    assertThat(volume.asText()).as("host paths are read-only").contains(":ro");
                } else {
                    assertThat(namedVolumes).as("named volume of %s in %s", volume, name).contains(source);
                }
            }
            for (JsonNode argument : spec.path("command")) {
                if (argument.asText().startsWith("--config.file=")) {
                    String file = argument.asText().substring("--config.file=".length());
                    assertThat(containerToHost(spec, file)).as("%s of %s", argument, name).isRegularFile();
                }
            }
            for (JsonNode dependency : dependencies(spec)) {
                assertThat(COMPOSE_SERVICES).as("depends_on of %s", name).containsKey(dependency.asText());
            }
        }
        // Only the user-facing ports are published, each on the port the service really serves.
        Map<String, String> published = new LinkedHashMap<>();
        services.properties().forEach(s -> s.getValue().path("ports").forEach(p -> published.put(s.getKey(), p.asText())));
        assertThat(published).containsExactlyInAnyOrderEntriesOf(Map.of("demo", "8080:8080",
                "prometheus", "9090:9090", "alertmanager", "9093:9093", "grafana", "3000:3000"));
        // Retention is bounded by time and by size; Alertmanager keeps silences and the notification log 5 days.
        assertThat(services.path("prometheus").path("command").toString())
                .contains("--storage.tsdb.retention.time=15d", "--storage.tsdb.retention.size=5GB");
        assertThat(services.path("alertmanager").path("command").toString()).contains("--data.retention=120h");
        assertThat(containerToHost(services.path("alertmanager"), "/etc/alertmanager/alertmanager.yml"))
                .isEqualTo(MONITORING.resolve("alertmanager/alertmanager.yml"));
    }

    @Test
    void composeDemoIsTheImageOfTheDockerfileConfiguredAsTheDemoReadsIt() throws IOException {
        JsonNode demo = StackFiles.yaml(StackFiles.COMPOSE).path("services").path("demo");
        Path context = MONITORING.resolve(demo.path("build").path("context").asText()).normalize();
        assertThat(context.resolve(demo.path("build").path("dockerfile").asText()))
                .isEqualTo(StackFiles.DOCKERFILE);
        Map<String, String> environment = new LinkedHashMap<>();
        demo.path("environment").properties().forEach(e -> environment.put(e.getKey(), e.getValue().asText()));
        // Every variable is one the demo reads, with a value it accepts (DemoConfig parses the very map).
        Map<String, String> resolved = new LinkedHashMap<>();
        environment.forEach((k, v) -> resolved.put(k, v.replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1")));
        DemoConfig config = DemoConfig.fromEnvironment(new String[] {"--traffic"}, resolved);
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(environment.keySet()).allSatisfy(variable -> assertThat(DemoProcess.SETTINGS).contains(variable));
        assertThat(demo.path("command").toString()).isEqualTo("[\"--traffic\"]");
        // Compose's own names for the database and the cache.
        assertThat(URI.create(environment.get("REDIS_URI")).getHost()).isEqualTo("redis");
        assertThat(environment.get("DATABASE_URL")).startsWith("jdbc:postgresql://postgres:5432/");

        String dockerfile = Files.readString(StackFiles.DOCKERFILE);
        Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile);
        assertThat(from.find()).isTrue();
        assertThat(from.group(1)).matches(PINNED);
        // The jar the shade plugin writes (pom.xml finalName), exposed on the port compose maps.
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<finalName>vigil-demo</finalName>");
        assertThat(dockerfile).containsPattern("(?m)^COPY target/vigil-demo\\.jar /app/vigil-demo\\.jar$")
                .containsPattern("(?m)^EXPOSE 8080$").contains("BIND_HOST=0.0.0.0", "PORT=8080")
                .containsPattern("(?m)^ENTRYPOINT \\[\"java\", \"-jar\", \"/app/vigil-demo\\.jar\"]$")
                .containsPattern("(?m)^USER [1-9]");
    }

    @Test
    void prometheusConfigsScrapeOnlyServicesThatExistOnTheirPorts() {
        JsonNode services = StackFiles.yaml(StackFiles.COMPOSE).path("services");
        JsonNode swarm = StackFiles.yaml(StackFiles.SWARM).path("services");
        for (Map.Entry<Path, JsonNode> config : Map.of(
                MONITORING.resolve("prometheus/prometheus-compose.yml"), services,
                MONITORING.resolve("prometheus/prometheus-swarm.yml"), swarm).entrySet()) {
            JsonNode prometheus = StackFiles.yaml(config.getKey());
            List<String> targets = new ArrayList<>();
            prometheus.path("scrape_configs").forEach(job -> job.findValues("targets")
                    .forEach(list -> list.forEach(t -> targets.add(t.asText()))));
            prometheus.path("scrape_configs").forEach(job -> job.path("relabel_configs")
                    .forEach(r -> {
                        if (r.path("target_label").asText().equals("__address__") && r.has("replacement")
                                && !r.has("source_labels")) {
                            targets.add(r.path("replacement").asText());
                        }
                    }));
            prometheus.path("scrape_configs").forEach(job -> job.path("dns_sd_configs").forEach(dns ->
                    dns.path("names").forEach(n -> targets.add(n.asText().replace("tasks.", "") + ":"
                            + dns.path("port").asInt()))));
            prometheus.path("alerting").findValues("targets").forEach(list -> list.forEach(t -> targets.add(t.asText())));
            assertThat(targets).hasSizeGreaterThan(3);
            for (String target : targets) {
                String hostPort = target.contains("://") ? serviceAndPort(target) : target;
                String host = hostPort.substring(0, hostPort.indexOf(':'));
                int port = Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1));
                if (host.equals("localhost")) {
                    assertThat(port).as("Prometheus scraping itself").isEqualTo(9090);
                    continue;
                }
                assertThat(config.getValue().has(host)).as("%s in %s names a service", target, config.getKey()).isTrue();
                assertThat(port).as("port of %s in %s", target, config.getKey()).isEqualTo(COMPOSE_SERVICES.get(host));
            }
            for (JsonNode file : prometheus.path("rule_files")) {
                assertThat(config.getKey().resolveSibling(file.asText())).isRegularFile();
            }
        }
    }

    @Test
    void promtoolAcceptsTheComposeAndSwarmPrometheusConfigs() {
        String promtool = RealTools.require("promtool");
        for (String file : List.of("prometheus-compose.yml", "prometheus-swarm.yml")) {
            RealTools.Result result = RealTools.run(promtool, "check", "config",
                    MONITORING.resolve("prometheus").resolve(file).toString());
            assertThat(result.exit()).as(result.out()).isZero();
            assertThat(result.out()).contains("SUCCESS: 3 rule files found");
        }
    }

    @Test
    void kubernetesDeploymentProbesServiceAndServiceMonitorFitTogether() {
        Map<String, JsonNode> objects = StackFiles.kubernetesObjects();
        assertThat(objects.keySet()).containsExactlyInAnyOrder("Deployment", "Service", "ServiceMonitor",
                "PrometheusRule");
        JsonNode deployment = objects.get("Deployment");
        JsonNode pod = deployment.path("spec").path("template");
        JsonNode podLabels = pod.path("metadata").path("labels");
        assertThat(deployment.path("spec").path("selector").path("matchLabels").properties())
                .allSatisfy(label -> assertThat(podLabels.path(label.getKey())).isEqualTo(label.getValue()));
        JsonNode container = pod.path("spec").path("containers").get(0);
        assertThat(container.path("image").asText()).isEqualTo(
                StackFiles.yaml(StackFiles.COMPOSE).path("services").path("demo").path("image").asText());
        assertThat(container.path("ports").get(0).path("name").asText()).isEqualTo("http");
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8080);
        assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo("/health/started");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/live");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/ready");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(container.path(probe).path("httpGet").path("port").asText()).as(probe).isEqualTo("http");
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asText();
            assertThat(DemoProcess.SETTINGS).as("the demo reads %s", name).contains(name);
            environment.put(name, variable.has("value") ? variable.path("value").asText() : "secret");
        }
        DemoConfig config = DemoConfig.fromEnvironment(new String[0], environment);
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        // The grace period outlasts the demo's shutdown: readiness 503 for the grace, then the drain.
        long shutdownSeconds = config.shutdownGrace().plus(config.drainTimeout()).toSeconds();
        assertThat(pod.path("spec").path("terminationGracePeriodSeconds").asLong()).isGreaterThan(shutdownSeconds);
        // The pod annotations say what the prometheus.yml Kubernetes job reads.
        assertThat(pod.path("metadata").path("annotations").path("prometheus.io/port").asText()).isEqualTo("8080");

        JsonNode service = objects.get("Service");
        assertThat(service.path("spec").path("selector").properties())
                .allSatisfy(label -> assertThat(podLabels.path(label.getKey())).isEqualTo(label.getValue()));
        assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText()).isEqualTo("http");
        JsonNode monitor = objects.get("ServiceMonitor");
        JsonNode serviceLabels = service.path("metadata").path("labels");
        assertThat(monitor.path("spec").path("selector").path("matchLabels").properties())
                .allSatisfy(label -> assertThat(serviceLabels.path(label.getKey())).isEqualTo(label.getValue()));
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("port").asText()).isEqualTo(service.path("spec").path("ports").get(0).path("name").asText());
        assertThat(endpoint.path("honorLabels").asBoolean()).isTrue();
        assertThat(objects.get("PrometheusRule").path("spec").path("groups")).isNotEmpty();
    }

    @Test
    void swarmStackUsesRepositoryFilesAndTheComposeImages() {
        JsonNode stack = StackFiles.yaml(StackFiles.SWARM);
        JsonNode services = stack.path("services");
        JsonNode compose = StackFiles.yaml(StackFiles.COMPOSE).path("services");
        assertThat(names(services)).containsExactlyInAnyOrder("demo", "postgres", "redis", "prometheus",
                "alertmanager", "grafana", "node-exporter", "blackbox-exporter");
        Set<String> configs = names(stack.path("configs"));
        Set<String> volumes = names(stack.path("volumes"));
        Set<String> used = new TreeSet<>();
        for (Map.Entry<String, JsonNode> service : services.properties()) {
            JsonNode spec = service.getValue();
            assertThat(spec.path("image").asText()).as("image of %s", service.getKey())
                    .isEqualTo(compose.path(service.getKey()).path("image").asText()).matches(PINNED);
            for (JsonNode config : spec.path("configs")) {
                assertThat(configs).contains(config.path("source").asText());
                used.add(config.path("source").asText());
            }
            for (JsonNode volume : spec.path("volumes")) {
                String source = volume.asText().split(":")[0];
                assertThat(source.startsWith("/") ? HOST_SYSTEM_PATHS : volumes).contains(source);
            }
            for (JsonNode argument : spec.path("command")) {
                if (argument.asText().startsWith("--config.file=")) {
                    String file = argument.asText().substring("--config.file=".length());
                    assertThat(spec.path("configs").findValuesAsText("target")).as(service.getKey()).contains(file);
                }
            }
        }
        assertThat(used).isEqualTo(configs);
        for (JsonNode config : stack.path("configs")) {
            assertThat(StackFiles.SWARM.resolveSibling(config.path("file").asText())).isRegularFile();
        }
        // Every dashboard travels to Grafana.
        assertThat(services.path("grafana").path("configs").findValuesAsText("target").stream()
                .filter(t -> t.endsWith(".json")).map(t -> t.substring(t.lastIndexOf('/') + 1)).toList())
                .containsExactlyInAnyOrderElementsOf(StackFiles.dashboards().keySet());
        Map<String, String> environment = new LinkedHashMap<>();
        services.path("demo").path("environment").properties().forEach(e -> environment.put(e.getKey(), e.getValue().asText()));
        assertThat(DemoConfig.fromEnvironment(new String[0], environment).port()).isEqualTo(8080);
        assertThat(services.path("demo").path("deploy").path("labels").path("prometheus.io/port").asText())
                .isEqualTo("8080");
    }

    /** {@code http://host:port/path} → {@code host:port}. */
    private static String serviceAndPort(String url) {
        URI uri = URI.create(url);
        return uri.getHost() + ":" + uri.getPort();
    }

    /** The repository path a container path of a compose service comes from, through its bind mounts. */
    private static Path containerToHost(JsonNode service, String containerPath) {
        for (JsonNode volume : service.path("volumes")) {
            String[] parts = volume.asText().split(":");
            String host = parts[0];
            String target = parts[1];
            if (!host.startsWith(".")) {
                continue;
            }
            if (containerPath.equals(target)) {
                return MONITORING.resolve(host).normalize();
            }
            if (containerPath.startsWith(target + "/")) {
                return MONITORING.resolve(host).resolve(containerPath.substring(target.length() + 1)).normalize();
            }
        }
        throw new AssertionError(containerPath + " is not mounted from the repository: " + service.path("volumes"));
    }

    private static List<JsonNode> dependencies(JsonNode service) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode dependsOn = service.path("depends_on");
        if (dependsOn.isArray()) {
            dependsOn.forEach(out::add);
        } else {
            dependsOn.fieldNames().forEachRemaining(n -> out.add(com.fasterxml.jackson.databind.node.TextNode.valueOf(n)));
        }
        return out;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new java.util.LinkedHashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
