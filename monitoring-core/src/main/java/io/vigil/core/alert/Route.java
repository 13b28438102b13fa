package io.vigil.core.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A node of the routing tree, with the fields of Alertmanager's {@code route}: {@code matchers},
 * {@code continue}, {@code receiver}, {@code group_by} (including {@code ...}: every label), {@code group_wait},
 * {@code group_interval}, {@code repeat_interval} and child {@code routes}. A field left unset is inherited from
 * the parent, as in Alertmanager; the root's unset timers are Alertmanager's defaults (30 s, 5 min, 4 h) and its
 * unset {@code group_by} groups everything together. Immutable.
 *
 * <pre>{@code
 * Route root = Route.builder().receiver("ops").groupBy("alertname", "service")
 *         .route(Route.builder().matchers("severity=\"page\"").receiver("pager").build())
 *         .build();
 * }</pre>
 */
public final class Route {

    static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(30);
    static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMinutes(5);
    static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);

    private final List<Matcher> matchers;
    private final boolean continueMatching;
    private final String receiver;
    private final List<String> groupBy;
    private final boolean groupByAll;
    private final Duration groupWait;
    private final Duration groupInterval;
    private final Duration repeatInterval;
    private final List<Route> routes;

    private Route(Builder b) {
        this.matchers = List.copyOf(b.matchers);
        this.continueMatching = b.continueMatching;
        this.receiver = b.receiver;
        this.groupBy = b.groupBy == null ? null : List.copyOf(b.groupBy);
        this.groupByAll = b.groupByAll;
        this.groupWait = b.groupWait;
        this.groupInterval = b.groupInterval;
        this.repeatInterval = b.repeatInterval;
        this.routes = List.copyOf(b.routes);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Matcher> matchers() {
        return matchers;
    }

    /** Alertmanager's {@code continue}: after this route matched, keep trying its later siblings. */
    public boolean continueMatching() {
        return continueMatching;
    }

    /** Empty: inherited. */
    public Optional<String> receiver() {
        return Optional.ofNullable(receiver);
    }

    /** Empty: inherited; {@code ["..."]} for every label. */
    public Optional<List<String>> groupBy() {
        if (groupByAll) {
            return Optional.of(List.of("..."));
        }
        return Optional.ofNullable(groupBy);
    }

    public Optional<Duration> groupWait() {
        return Optional.ofNullable(groupWait);
    }

    public Optional<Duration> groupInterval() {
        return Optional.ofNullable(groupInterval);
    }

    public Optional<Duration> repeatInterval() {
        return Optional.ofNullable(repeatInterval);
    }

    public List<Route> routes() {
        return routes;
    }

    boolean groupByAllSet() {
        return groupByAll;
    }

    List<String> groupByOrNull() {
        return groupBy;
    }

    String receiverOrNull() {
        return receiver;
    }

    public static final class Builder {
        private final List<Matcher> matchers = new ArrayList<>();
        private boolean continueMatching;
        private String receiver;
        private List<String> groupBy;
        private boolean groupByAll;
        private Duration groupWait;
        private Duration groupInterval;
        private Duration repeatInterval;
        private final List<Route> routes = new ArrayList<>();

        private Builder() {
        }

        /** Each string in Alertmanager's syntax, one or more matchers: {@code "service=~\"orders.*\""}. */
        public Builder matchers(String... expressions) {
            for (String expression : expressions) {
                matchers.addAll(Matcher.parseList(expression));
            }
            return this;
        }

        public Builder matcher(Matcher... more) {
            Collections.addAll(matchers, more);
            return this;
        }

        public Builder continueMatching(boolean continueMatching) {
            this.continueMatching = continueMatching;
            return this;
        }

        public Builder receiver(String receiver) {
            if (receiver != null && receiver.isBlank()) {
                throw new IllegalArgumentException("receiver must not be blank");
            }
            this.receiver = receiver;
            return this;
        }

        /** Label names; {@code "..."} alone groups by every label. An empty list puts all alerts in one group. */
        public Builder groupBy(String... labels) {
            Set<String> names = new LinkedHashSet<>(List.of(labels));
            if (names.contains("...")) {
                if (names.size() > 1) {
                    throw new IllegalArgumentException(
                            "cannot have wildcard group_by (`...`) and other labels at the same time: " + names);
                }
                this.groupByAll = true;
                this.groupBy = null;
                return this;
            }
            for (String name : names) {
                if (!LabelSets.isValidName(name)) {
                    throw new IllegalArgumentException("invalid label name \"" + name + "\" in group_by list");
                }
            }
            this.groupByAll = false;
            this.groupBy = new ArrayList<>(names);
            return this;
        }

        public Builder groupWait(Duration groupWait) {
            this.groupWait = nonNegative("group_wait", groupWait);
            return this;
        }

        public Builder groupInterval(Duration groupInterval) {
            this.groupInterval = positive("group_interval", groupInterval);
            return this;
        }

        public Builder repeatInterval(Duration repeatInterval) {
            this.repeatInterval = positive("repeat_interval", repeatInterval);
            return this;
        }

        public Builder route(Route child) {
            routes.add(child);
            return this;
        }

        public Builder routes(Route... children) {
            Collections.addAll(routes, children);
            return this;
        }

        public Route build() {
            return new Route(this);
        }

        private static Duration nonNegative(String what, Duration d) {
            if (d != null && d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative: " + d);
            }
            return d;
        }

        private static Duration positive(String what, Duration d) {
            if (d != null && (d.isNegative() || d.isZero())) {
                throw new IllegalArgumentException(what + " cannot be zero or negative: " + d);
            }
            return d;
        }
    }
}
