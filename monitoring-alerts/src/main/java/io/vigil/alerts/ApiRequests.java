package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.alert.Alert;
import io.vigil.core.alert.CorrelationEngine;
import io.vigil.core.alert.CorrelationEngine.AlertStatus;
import io.vigil.core.alert.Silence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The endpoints: routes a method and path (relative to where the servlet is mounted) to its handler and returns
 * the status and JSON body. Containers and authentication stay in {@link AlertsServlet}; this class holds the
 * semantics of Alertmanager 0.25's API v2 as Prometheus, amtool and Grafana use it.
 */
final class ApiRequests {

    /** A response: status and JSON body ({@code null}: empty body). */
    record Response(int status, JsonNode body) {
    }

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** The Alertmanager release whose API v2 this implements. */
    static final String ALERTMANAGER_VERSION = "0.25.0";

    private final CorrelationEngine engine;
    private final ApiLimits limits;
    private final List<String> receivers;
    private final String configText;
    private final Instant startedAt;
    private final String version;
    private final BoundedTimes alertUpdates;
    private final BoundedTimes silenceUpdates;
    private final ApiIncidents incidents;
    private final Consumer<Silence> silenceChanged;
    private final Supplier<ClusterStatus> cluster;

    /**
     * @param silenceChanged told of each silence created, updated or expired through the API (the
     *                       {@link AlertManager}'s store keeps it across restarts and shares it with other nodes)
     * @param cluster        this node's cluster status, asked on each {@code GET /api/v2/status}
     */
    ApiRequests(CorrelationEngine engine, ApiLimits limits, List<String> receivers, String configText, Instant startedAt,
                String version, ApiIncidents incidents, Consumer<Silence> silenceChanged,
                Supplier<ClusterStatus> cluster) {
        this.silenceChanged = silenceChanged;
        this.cluster = cluster;
        this.engine = engine;
        this.limits = limits;
        this.receivers = List.copyOf(receivers);
        this.configText = configText;
        this.startedAt = startedAt;
        this.version = version;
        this.alertUpdates = new BoundedTimes(100_000);
        this.silenceUpdates = new BoundedTimes(100_000);
        this.incidents = incidents;
    }

    /** Whether the request changes state (and so needs the write token). */
    static boolean isWrite(String method) {
        return !method.equals("GET") && !method.equals("HEAD");
    }

    /**
     * @param body the request body parsed as JSON, read only by endpoints that take one ({@code null} for an
     *             empty body)
     * @throws ApiError for anything refused
     */
    Response handle(String method, String path, Map<String, String[]> params, Supplier<JsonNode> body, Instant now) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        switch (p) {
            case "/api/v2/alerts":
                return switch (method) {
                    case "GET" -> ok(alerts(ApiQuery.parse(params, limits), now));
                    case "POST" -> postAlerts(required(body.get(), "alerts"), now);
                    default -> notAllowed();
                };
            case "/api/v2/alerts/groups":
                return method.equals("GET") ? ok(groups(ApiQuery.parse(params, limits), now)) : notAllowed();
            case "/api/v2/silences":
                return switch (method) {
                    case "GET" -> ok(silences(ApiQuery.parse(params, limits), now));
                    case "POST" -> postSilence(required(body.get(), "silence"), now);
                    default -> notAllowed();
                };
            case "/api/v2/status":
                return method.equals("GET") ? ok(status(now)) : notAllowed();
            case "/api/v2/receivers":
                return method.equals("GET") ? ok(receivers(now)) : notAllowed();
            case "/api/vigil/incidents":
                return method.equals("GET") ? ok(incidents.list(now)) : notAllowed();
            default:
                break;
        }
        if (p.startsWith("/api/v2/silence/")) {
            String id = p.substring("/api/v2/silence/".length());
            if (!UUID.matcher(id).matches()) {
                throw ApiError.coded(422, 601, "silenceID in path must be of type uuid: \"" + ApiJson.clip(id) + "\"");
            }
            return switch (method) {
                case "GET" -> engine.silence(id)
                        .map(s -> ok(ApiJson.silence(s, silenceUpdates.get(id, s.startsAt()), now)))
                        .orElseGet(() -> new Response(404, null));
                case "DELETE" -> deleteSilence(id, now);
                default -> notAllowed();
            };
        }
        if (p.startsWith("/api/vigil/incidents/")) {
            String rest = p.substring("/api/vigil/incidents/".length());
            if (rest.endsWith("/ack")) {
                return method.equals("POST")
                        ? ok(incidents.acknowledge(rest.substring(0, rest.length() - 4), body.get(), now))
                        : notAllowed();
            }
            return method.equals("GET") ? ok(incidents.get(rest, now)) : notAllowed();
        }
        throw ApiError.plain(404, "not found");
    }

    // ---------------------------------------------------------------- alerts

    private Response postAlerts(JsonNode body, Instant now) {
        List<Alert> alerts = ApiAlertsDecoder.decode(body, limits, now);
        engine.receive(alerts, now);
        for (Alert alert : alerts) {
            alertUpdates.put(alert.fingerprint(), now);
        }
        return new Response(200, null);
    }

    private ArrayNode alerts(ApiQuery query, Instant now) {
        List<AlertStatus> shown = new ArrayList<>();
        for (AlertStatus status : engine.alerts(now)) {
            if (shows(query, status, now) && query.receiverMatches(status.receivers())) {
                shown.add(status);
            }
        }
        shown.sort(Comparator.comparing(s -> s.alert().fingerprint()));
        ArrayNode out = ApiJson.MAPPER.createArrayNode();
        for (AlertStatus status : shown) {
            out.add(render(status));
        }
        return out;
    }

    private ArrayNode groups(ApiQuery query, Instant now) {
        Map<Long, AlertStatus> statuses = new HashMap<>();
        for (AlertStatus status : engine.alerts(now)) {
            statuses.put(status.alert().fingerprintBits(), status);
        }
        List<CorrelationEngine.Group> groups = new ArrayList<>(engine.groups());
        groups.sort(Comparator.comparing(CorrelationEngine.Group::groupKey).thenComparing(CorrelationEngine.Group::receiver));
        ArrayNode out = ApiJson.MAPPER.createArrayNode();
        for (CorrelationEngine.Group group : groups) {
            if (!query.receiverMatches(List.of(group.receiver()))) {
                continue;
            }
            ArrayNode alerts = ApiJson.MAPPER.createArrayNode();
            for (Alert alert : group.alerts()) {
                AlertStatus status = statuses.get(alert.fingerprintBits());
                if (status != null && shows(query, status, now)) {
                    alerts.add(render(status));
                }
            }
            if (alerts.isEmpty()) {
                continue;
            }
            ObjectNode node = out.addObject();
            node.set("alerts", alerts);
            ApiJson.stringMap(node.putObject("labels"), group.labels());
            node.putObject("receiver").put("name", group.receiver());
        }
        return out;
    }

    /** Alertmanager's alert filter, receiver aside: not resolved, labels match, state switches. */
    private static boolean shows(ApiQuery query, AlertStatus status, Instant now) {
        if (status.resolved() || status.alert().isResolved(now) || !query.labelsMatch(status.alert().labels())) {
            return false;
        }
        boolean inhibited = !status.inhibitedBy().isEmpty() || status.symptomOf().isPresent();
        if (!query.active() && !status.suppressed()) {
            return false;
        }
        if (!query.silenced() && !status.silencedBy().isEmpty()) {
            return false;
        }
        return query.inhibited() || !inhibited;
    }

    private ObjectNode render(AlertStatus status) {
        Alert alert = status.alert();
        return ApiJson.alert(status, alertUpdates.get(alert.fingerprint(), alert.startsAt()));
    }

    // ---------------------------------------------------------------- silences

    private ArrayNode silences(ApiQuery query, Instant now) {
        List<Silence> shown = new ArrayList<>();
        for (Silence silence : engine.silences()) {
            // Alertmanager 0.25: a silence is shown when it has each filter matcher itself (name, operator, value).
            if (silence.matchers().containsAll(query.filter())) {
                shown.add(silence);
            }
        }
        // Alertmanager's order: active (ending first), then pending (starting first), then expired (latest first).
        shown.sort(Comparator.comparingInt((Silence s) -> switch (s.state(now)) {
            case ACTIVE -> 0;
            case PENDING -> 1;
            case EXPIRED -> 2;
        }).thenComparing((a, b) -> switch (a.state(now)) {
            case ACTIVE -> a.endsAt().compareTo(b.endsAt());
            case PENDING -> a.startsAt().compareTo(b.startsAt());
            case EXPIRED -> b.endsAt().compareTo(a.endsAt());
        }));
        ArrayNode out = ApiJson.MAPPER.createArrayNode();
        for (Silence silence : shown) {
            String id = silence.id().orElse("");
            out.add(ApiJson.silence(silence, silenceUpdates.get(id, silence.startsAt()), now));
        }
        return out;
    }

    private Response postSilence(JsonNode body, Instant now) {
        String id = ApiSilenceDecoder.id(body);
        if (id != null && engine.silence(id).isEmpty()) {
            throw ApiError.plain(404, "silence not found");
        }
        Silence silence = ApiSilenceDecoder.decode(body, limits, now);
        if (id != null) {
            silence = silence.toBuilder().id(id).build();
        }
        Silence stored;
        try {
            stored = engine.addSilence(silence, now);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("Failed to create silence: " + e.getMessage());
        } catch (IllegalStateException e) {
            throw ApiError.plain(429, "Failed to create silence: " + e.getMessage());
        }
        String storedId = stored.id().orElseThrow();
        silenceUpdates.put(storedId, now);
        if (id != null && !id.equals(storedId)) {
            silenceUpdates.put(id, now);
            engine.silence(id).ifPresent(silenceChanged); // the one it replaced, now expired
        }
        silenceChanged.accept(stored);
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        out.put("silenceID", storedId);
        return ok(out);
    }

    private Response deleteSilence(String id, Instant now) {
        Optional<Silence> expired = engine.expireSilence(id, now);
        if (expired.isEmpty()) {
            // Alertmanager answers 500 here; an unknown id is the client's mistake.
            throw ApiError.plain(404, "silence not found");
        }
        silenceUpdates.put(id, now);
        silenceChanged.accept(expired.get());
        return new Response(200, null);
    }

    // ---------------------------------------------------------------- status, receivers

    private ObjectNode status(Instant now) {
        ObjectNode out = ApiJson.MAPPER.createObjectNode();
        // Alertmanager's field order: name (absent when disabled), peers, status.
        ClusterStatus status = cluster.get();
        ObjectNode clusterNode = out.putObject("cluster");
        if (status.name() != null) {
            clusterNode.put("name", status.name());
        }
        ArrayNode peers = clusterNode.putArray("peers");
        for (PeerStatus peer : status.peers()) {
            peers.addObject().put("address", peer.address()).put("name", peer.name());
        }
        clusterNode.put("status", status.status());
        out.putObject("config").put("original", configText);
        out.put("uptime", ApiTime.format(startedAt));
        ObjectNode versionInfo = out.putObject("versionInfo");
        versionInfo.put("branch", "vigil");
        versionInfo.put("buildDate", "");
        versionInfo.put("buildUser", "");
        versionInfo.put("goVersion", "java" + Runtime.version().feature());
        versionInfo.put("revision", "vigil-" + version);
        // The Alertmanager API level spoken: amtool warns when its own version differs, Grafana reads it.
        versionInfo.put("version", ALERTMANAGER_VERSION);
        return out;
    }

    private ArrayNode receivers(Instant now) {
        List<String> names = new ArrayList<>(receivers);
        if (names.isEmpty()) {
            for (AlertStatus status : engine.alerts(now)) {
                for (String receiver : status.receivers()) {
                    if (!names.contains(receiver)) {
                        names.add(receiver);
                    }
                }
            }
        }
        ArrayNode out = ApiJson.MAPPER.createArrayNode();
        names.forEach(name -> out.addObject().put("name", name));
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode required(JsonNode body, String what) {
        if (body == null) {
            throw ApiError.unparseable(what, "EOF");
        }
        return body;
    }

    private static Response ok(JsonNode body) {
        return new Response(200, body);
    }

    private static Response notAllowed() {
        throw ApiError.plain(405, "method not allowed");
    }
}
