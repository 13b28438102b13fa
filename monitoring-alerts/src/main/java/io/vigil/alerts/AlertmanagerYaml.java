package io.vigil.alerts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.core.alert.InhibitRule;
import io.vigil.core.alert.Matcher;
import io.vigil.core.alert.Route;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the subset of {@code alertmanager.yml} Vigil runs: {@code global.resolve_timeout}; the {@code route} tree
 * (receiver, group_by with {@code ...}, group_wait, group_interval, repeat_interval, {@code matchers} and the old
 * {@code match}/{@code match_re} maps, continue, nested routes); {@code receivers} with webhook, Slack, PagerDuty and
 * e-mail configs mapped onto the built-in channels; {@code inhibit_rules} (new matchers and old
 * {@code source_match[_re]}/{@code target_match[_re]}). Anything else is rejected naming the key and where it is,
 * so a file that loads here means what it means to Alertmanager. Durations are Prometheus durations.
 *
 * <p>{@code send_resolved} is per receiver in Vigil's correlation engine (Alertmanager has it per integration):
 * a receiver whose integrations disagree is rejected. Alertmanager's defaults apply: true for webhook and
 * PagerDuty, false for Slack and e-mail.
 */
final class AlertmanagerYaml {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final Set<String> TOP = Set.of("global", "route", "receivers", "inhibit_rules");
    private static final Set<String> GLOBAL = Set.of("resolve_timeout");
    private static final Set<String> ROUTE = Set.of("receiver", "group_by", "group_wait", "group_interval",
            "repeat_interval", "matchers", "match", "match_re", "continue", "routes");
    private static final Set<String> RECEIVER = Set.of("name", "webhook_configs", "slack_configs",
            "pagerduty_configs", "email_configs");
    private static final Set<String> WEBHOOK = Set.of("url", "send_resolved", "max_alerts");
    private static final Set<String> SLACK = Set.of("api_url", "send_resolved");
    private static final Set<String> PAGERDUTY = Set.of("routing_key", "url", "send_resolved");
    private static final Set<String> EMAIL = Set.of("to", "from", "smarthost", "auth_username", "auth_password",
            "require_tls", "send_resolved");
    private static final Set<String> INHIBIT = Set.of("source_matchers", "target_matchers", "equal",
            "source_match", "source_match_re", "target_match", "target_match_re");

    /**
     * What a file configures.
     *
     * @param route          the routing tree
     * @param inhibitRules   inhibition rules
     * @param resolveTimeout {@code global.resolve_timeout} (Alertmanager's default 5 min)
     * @param sendResolved   per receiver that has integrations
     * @param channels       one per integration, named {@code receiver/kind/index}
     * @param receivers      receiver → its channel names (empty for a receiver with no integration)
     */
    record Config(Route route, List<InhibitRule> inhibitRules, Duration resolveTimeout,
                  Map<String, Boolean> sendResolved, List<NotificationChannel> channels,
                  Map<String, List<String>> receivers) {
    }

    private final String source;
    private final Map<String, String> signingKeys;

    private AlertmanagerYaml(String source, Map<String, String> signingKeys) {
        this.source = source;
        this.signingKeys = signingKeys;
    }

    /**
     * @param source      the file name, for messages
     * @param signingKeys receiver → HMAC key for its webhooks (Vigil's extra, never a key in the file)
     * @throws IllegalArgumentException naming the file, the path and the key for anything outside the subset
     */
    static Config parse(String source, String yaml, Map<String, String> signingKeys) {
        return new AlertmanagerYaml(source, signingKeys).parse(yaml);
    }

    private Config parse(String yaml) {
        JsonNode top;
        try {
            top = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (top == null || top.isMissingNode() || top.isNull()) {
            throw bad("", "the file is empty; it needs at least route and receivers");
        }
        object(top, "", TOP);
        Duration resolveTimeout = Duration.ofMinutes(5);
        if (top.has("global")) {
            JsonNode global = object(top.get("global"), "global", GLOBAL);
            if (global.has("resolve_timeout")) {
                resolveTimeout = duration(global.get("resolve_timeout"), "global.resolve_timeout");
                if (resolveTimeout.isZero()) {
                    throw bad("global.resolve_timeout", "must be positive");
                }
            }
        }
        if (!top.has("route")) {
            throw bad("", "no route configured");
        }
        Set<String> used = new LinkedHashSet<>();
        Route route = route(top.get("route"), "route", true, used);

        Map<String, List<String>> receivers = new LinkedHashMap<>();
        Map<String, Boolean> sendResolved = new LinkedHashMap<>();
        List<NotificationChannel> channels = new ArrayList<>();
        JsonNode list = top.path("receivers");
        if (!list.isMissingNode()) {
            array(list, "receivers");
            for (int i = 0; i < list.size(); i++) {
                receiver(list.get(i), "receivers[" + i + "]", receivers, sendResolved, channels);
            }
        }
        for (String name : used) {
            if (!receivers.containsKey(name)) {
                throw bad("route", "undefined receiver \"" + name + "\" used in route");
            }
        }
        for (String name : signingKeys.keySet()) {
            if (!receivers.containsKey(name)) {
                throw new IllegalArgumentException("a signing key is given for receiver \"" + name + "\", which "
                        + source + " does not define");
            }
        }

        List<InhibitRule> inhibitRules = new ArrayList<>();
        JsonNode rules = top.path("inhibit_rules");
        if (!rules.isMissingNode()) {
            array(rules, "inhibit_rules");
            for (int i = 0; i < rules.size(); i++) {
                inhibitRules.add(inhibitRule(rules.get(i), "inhibit_rules[" + i + "]"));
            }
        }
        return new Config(route, List.copyOf(inhibitRules), resolveTimeout, Map.copyOf(sendResolved),
                List.copyOf(channels), Map.copyOf(receivers));
    }

    private Route route(JsonNode node, String path, boolean root, Set<String> used) {
        object(node, path, ROUTE);
        Route.Builder b = Route.builder();
        try {
            if (node.has("receiver")) {
                String receiver = text(node.get("receiver"), path + ".receiver");
                used.add(receiver);
                b.receiver(receiver);
            } else if (root) {
                throw bad(path, "root route must specify a default receiver");
            }
            if (node.has("group_by")) {
                JsonNode groupBy = array(node.get("group_by"), path + ".group_by");
                List<String> labels = new ArrayList<>();
                for (int i = 0; i < groupBy.size(); i++) {
                    labels.add(text(groupBy.get(i), path + ".group_by[" + i + "]"));
                }
                b.groupBy(labels.toArray(String[]::new));
            }
            if (node.has("group_wait")) {
                b.groupWait(duration(node.get("group_wait"), path + ".group_wait"));
            }
            if (node.has("group_interval")) {
                b.groupInterval(duration(node.get("group_interval"), path + ".group_interval"));
            }
            if (node.has("repeat_interval")) {
                b.repeatInterval(duration(node.get("repeat_interval"), path + ".repeat_interval"));
            }
            b.matcher(matchers(node, path, "matchers", "match", "match_re").toArray(Matcher[]::new));
            if (node.has("continue")) {
                b.continueMatching(bool(node.get("continue"), path + ".continue"));
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(source + ":")) {
                throw e;
            }
            throw bad(path, e.getMessage());
        }
        if (root && (node.has("matchers") || node.has("match") || node.has("match_re"))) {
            throw bad(path, "root route must not have any matchers");
        }
        if (root && node.has("continue")) {
            throw bad(path, "cannot have continue in root route");
        }
        if (node.has("routes")) {
            JsonNode children = array(node.get("routes"), path + ".routes");
            for (int i = 0; i < children.size(); i++) {
                b.route(route(children.get(i), path + ".routes[" + i + "]", false, used));
            }
        }
        return b.build();
    }

    /** The new-style list of matcher strings plus the old equality and regex maps. */
    private List<Matcher> matchers(JsonNode node, String path, String listKey, String matchKey, String regexKey) {
        List<Matcher> out = new ArrayList<>();
        if (node.has(listKey)) {
            JsonNode list = array(node.get(listKey), path + "." + listKey);
            for (int i = 0; i < list.size(); i++) {
                String where = path + "." + listKey + "[" + i + "]";
                try {
                    out.addAll(Matcher.parseList(text(list.get(i), where)));
                } catch (IllegalArgumentException e) {
                    throw rethrow(where, e);
                }
            }
        }
        for (String key : List.of(matchKey, regexKey)) {
            if (!node.has(key)) {
                continue;
            }
            JsonNode map = node.get(key);
            if (!map.isObject()) {
                throw bad(path + "." + key, "must be a mapping of label names to values");
            }
            for (Map.Entry<String, JsonNode> e : map.properties()) {
                String where = path + "." + key + "." + e.getKey();
                String value = text(e.getValue(), where);
                try {
                    out.add(key.equals(matchKey) ? Matcher.equal(e.getKey(), value) : Matcher.regex(e.getKey(), value));
                } catch (IllegalArgumentException ex) {
                    throw rethrow(where, ex);
                }
            }
        }
        return out;
    }

    private void receiver(JsonNode node, String path, Map<String, List<String>> receivers,
                          Map<String, Boolean> sendResolved, List<NotificationChannel> channels) {
        object(node, path, RECEIVER);
        if (!node.has("name")) {
            throw bad(path, "missing name on receiver");
        }
        String name = text(node.get("name"), path + ".name");
        if (receivers.containsKey(name)) {
            throw bad(path + ".name", "notification config name \"" + name + "\" is not unique");
        }
        List<String> names = new ArrayList<>();
        Set<Boolean> resolved = new LinkedHashSet<>();
        String key = signingKeys.get(name);
        forEach(node, path, "webhook_configs", WEBHOOK, (c, where, i) -> {
            NotificationChannel.WebhookBuilder b = NotificationChannel.webhook(name + "/webhook/" + i,
                    uri(required(c, where, "url"), where + ".url"));
            if (c.has("max_alerts")) {
                JsonNode max = c.get("max_alerts");
                if (!max.canConvertToInt() || max.asInt() < 0) {
                    throw bad(where + ".max_alerts", "must be a non-negative integer");
                }
                b.maxAlerts(max.asInt());
            }
            if (key != null) {
                b.signingKey(key);
            }
            resolved.add(sendResolved(c, where, true));
            add(channels, names, build(where, b::build));
        });
        forEach(node, path, "slack_configs", SLACK, (c, where, i) -> {
            NotificationChannel.SlackBuilder b = NotificationChannel.slack(name + "/slack/" + i,
                    uri(required(c, where, "api_url"), where + ".api_url"));
            resolved.add(sendResolved(c, where, false));
            add(channels, names, build(where, b::build));
        });
        forEach(node, path, "pagerduty_configs", PAGERDUTY, (c, where, i) -> {
            NotificationChannel.PagerDutyBuilder b = NotificationChannel.pagerDuty(name + "/pagerduty/" + i,
                    text(required(c, where, "routing_key"), where + ".routing_key"));
            NotificationChannel.PagerDutyBuilder configured = c.has("url")
                    ? b.endpoint(uri(c.get("url"), where + ".url")) : b;
            resolved.add(sendResolved(c, where, true));
            add(channels, names, build(where, configured::build));
        });
        forEach(node, path, "email_configs", EMAIL, (c, where, i) -> {
            String smarthost = text(required(c, where, "smarthost"), where + ".smarthost");
            int colon = smarthost.lastIndexOf(':');
            int port;
            try {
                port = colon < 0 ? -1 : Integer.parseInt(smarthost.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (colon <= 0 || port < 1 || port > 65535) {
                throw bad(where + ".smarthost", "must be host:port, got \"" + smarthost + "\"");
            }
            NotificationChannel.EmailBuilder b = NotificationChannel.email(name + "/email/" + i,
                    smarthost.substring(0, colon), port);
            b.from(text(required(c, where, "from"), where + ".from"));
            for (String to : text(required(c, where, "to"), where + ".to").split(",")) {
                if (!to.isBlank()) {
                    b.to(to.trim());
                }
            }
            if (c.has("auth_username") || c.has("auth_password")) {
                b.credentials(text(required(c, where, "auth_username"), where + ".auth_username"),
                        text(required(c, where, "auth_password"), where + ".auth_password"));
            }
            b.startTls(!c.has("require_tls") || bool(c.get("require_tls"), where + ".require_tls"));
            resolved.add(sendResolved(c, where, false));
            add(channels, names, build(where, b::build));
        });
        if (resolved.size() > 1) {
            throw bad(path, "receiver \"" + name + "\" mixes send_resolved true and false across its integrations;"
                    + " Vigil applies send_resolved per receiver: split it into two receivers");
        }
        if (!resolved.isEmpty()) {
            sendResolved.put(name, resolved.iterator().next());
        }
        receivers.put(name, List.copyOf(names));
    }

    private InhibitRule inhibitRule(JsonNode node, String path) {
        object(node, path, INHIBIT);
        InhibitRule.Builder b = InhibitRule.builder();
        b.sourceMatcher(matchers(node, path, "source_matchers", "source_match", "source_match_re")
                .toArray(Matcher[]::new));
        b.targetMatcher(matchers(node, path, "target_matchers", "target_match", "target_match_re")
                .toArray(Matcher[]::new));
        if (node.has("equal")) {
            JsonNode equal = array(node.get("equal"), path + ".equal");
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < equal.size(); i++) {
                labels.add(text(equal.get(i), path + ".equal[" + i + "]"));
            }
            try {
                b.equal(labels.toArray(String[]::new));
            } catch (IllegalArgumentException e) {
                throw rethrow(path + ".equal", e);
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw rethrow(path, e);
        }
    }

    // ---------------------------------------------------------------- small readers, each naming the path

    @FunctionalInterface
    private interface ConfigReader {
        void read(JsonNode config, String path, int index);
    }

    private void forEach(JsonNode receiver, String path, String key, Set<String> allowed, ConfigReader reader) {
        if (!receiver.has(key)) {
            return;
        }
        JsonNode list = array(receiver.get(key), path + "." + key);
        for (int i = 0; i < list.size(); i++) {
            String where = path + "." + key + "[" + i + "]";
            reader.read(object(list.get(i), where, allowed), where, i);
        }
    }

    private static void add(List<NotificationChannel> channels, List<String> names, NotificationChannel channel) {
        channels.add(channel);
        names.add(channel.name());
    }

    private NotificationChannel build(String path, java.util.function.Supplier<NotificationChannel> builder) {
        try {
            return builder.get();
        } catch (IllegalArgumentException e) {
            throw rethrow(path, e);
        }
    }

    private boolean sendResolved(JsonNode config, String path, boolean dflt) {
        return config.has("send_resolved") ? bool(config.get("send_resolved"), path + ".send_resolved") : dflt;
    }

    private JsonNode required(JsonNode node, String path, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            throw bad(path, "missing required key \"" + key + "\"");
        }
        return value;
    }

    private ObjectNode object(JsonNode node, String path, Set<String> allowed) {
        if (!(node instanceof ObjectNode object)) {
            throw bad(path, "must be a mapping");
        }
        for (Map.Entry<String, JsonNode> property : object.properties()) {
            String key = property.getKey();
            if (!allowed.contains(key)) {
                throw bad(path, "unknown or unsupported key \"" + key + "\" (" + (path.isEmpty() ? "" : path + ".")
                        + key + "); supported here: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return object;
    }

    private JsonNode array(JsonNode node, String path) {
        if (!node.isArray()) {
            throw bad(path, "must be a list");
        }
        return node;
    }

    private String text(JsonNode node, String path) {
        if (node == null || !node.isValueNode() || node.isNull()) {
            throw bad(path, "must be a string");
        }
        return node.asText();
    }

    private boolean bool(JsonNode node, String path) {
        if (!node.isBoolean()) {
            throw bad(path, "must be true or false");
        }
        return node.booleanValue();
    }

    private Duration duration(JsonNode node, String path) {
        try {
            return Durations.parse(text(node, path));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw rethrow(path, e);
        }
    }

    private URI uri(JsonNode node, String path) {
        String text = text(node, path);
        try {
            URI uri = new URI(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                // The URL may hold a key: name the scheme only.
                throw bad(path, "URL scheme must be http or https, not " + uri.getScheme());
            }
            return uri;
        } catch (URISyntaxException e) {
            throw bad(path, "not a valid URL");
        }
    }

    private IllegalArgumentException rethrow(String path, RuntimeException e) {
        return new IllegalArgumentException(source + ": " + path + ": " + e.getMessage(), e);
    }

    private IllegalArgumentException bad(String path, String message) {
        return new IllegalArgumentException(source + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }
}
