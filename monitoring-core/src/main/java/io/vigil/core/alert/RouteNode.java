package io.vigil.core.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link Route} with its inherited options resolved, as Alertmanager's {@code dispatch.Route}: matching is a
 * depth-first, left-to-right search that stops at the first matching child unless that child has
 * {@code continue}; a node none of whose children match is itself the match. Identity matters: aggregation
 * groups belong to a node, not to its key (two sibling routes may have the same key).
 */
final class RouteNode {

    final RouteNode parent;
    final List<Matcher> matchers;
    final boolean continueMatching;
    final String receiver;
    final Set<String> groupBy;
    final boolean groupByAll;
    final Duration groupWait;
    final Duration groupInterval;
    final Duration repeatInterval;
    final List<RouteNode> children;
    final String key;

    private RouteNode(Route route, RouteNode parent) {
        this.parent = parent;
        List<Matcher> sorted = new ArrayList<>(route.matchers());
        sorted.sort(Matcher.ORDER);
        this.matchers = List.copyOf(sorted);
        this.continueMatching = route.continueMatching();
        this.receiver = route.receiverOrNull() != null ? route.receiverOrNull() : parent == null ? null : parent.receiver;
        if (route.groupByOrNull() != null) {
            TreeSet<String> names = new TreeSet<>(LabelSets.CODE_POINT_ORDER);
            names.addAll(route.groupByOrNull());
            this.groupBy = Collections.unmodifiableSet(names);
            this.groupByAll = false;
        } else if (route.groupByAllSet()) {
            this.groupBy = Set.of();
            this.groupByAll = true;
        } else {
            this.groupBy = parent == null ? Set.of() : parent.groupBy;
            this.groupByAll = parent != null && parent.groupByAll;
        }
        this.groupWait = route.groupWait().orElse(parent == null ? Route.DEFAULT_GROUP_WAIT : parent.groupWait);
        this.groupInterval = route.groupInterval().orElse(parent == null ? Route.DEFAULT_GROUP_INTERVAL : parent.groupInterval);
        this.repeatInterval = route.repeatInterval().orElse(parent == null ? Route.DEFAULT_REPEAT_INTERVAL : parent.repeatInterval);
        this.key = (parent == null ? "" : parent.key + "/") + Matcher.format(this.matchers);
        List<RouteNode> kids = new ArrayList<>();
        for (Route child : route.routes()) {
            kids.add(new RouteNode(child, this));
        }
        this.children = List.copyOf(kids);
    }

    /** Resolves the tree, checking Alertmanager's constraints on the root. */
    static RouteNode root(Route route) {
        if (route.receiverOrNull() == null) {
            throw new IllegalArgumentException("root route must specify a default receiver");
        }
        if (!route.matchers().isEmpty()) {
            throw new IllegalArgumentException("root route must not have any matchers");
        }
        if (route.continueMatching()) {
            throw new IllegalArgumentException("cannot have continue in root route");
        }
        return new RouteNode(route, null);
    }

    /** The nodes {@code labels} are routed to, in tree order. */
    List<RouteNode> match(Map<String, String> labels) {
        List<RouteNode> out = new ArrayList<>(1);
        matchInto(labels, out);
        return out;
    }

    private boolean matchInto(Map<String, String> labels, List<RouteNode> out) {
        if (!Matcher.allMatch(matchers, labels)) {
            return false;
        }
        int before = out.size();
        for (RouteNode child : children) {
            if (child.matchInto(labels, out) && !child.continueMatching) {
                break;
            }
        }
        if (out.size() == before) {
            out.add(this);
        }
        return true;
    }

    /** The labels that name the aggregation group of {@code labels} on this route. */
    SortedMap<String, String> groupLabels(SortedMap<String, String> labels) {
        if (groupByAll) {
            return labels;
        }
        TreeMap<String, String> out = new TreeMap<>(LabelSets.CODE_POINT_ORDER);
        for (String name : groupBy) {
            String value = labels.get(name);
            if (value != null) {
                out.put(name, value);
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /** Alertmanager's group key: {@code routeKey:groupLabels}, e.g. {@code {}/{service="db"}:{alertname="Down"}}. */
    String groupKey(SortedMap<String, String> groupLabels) {
        return key + ":" + LabelSets.format(groupLabels);
    }

    void walk(java.util.function.Consumer<RouteNode> visitor) {
        visitor.accept(this);
        for (RouteNode child : children) {
            child.walk(visitor);
        }
    }
}
