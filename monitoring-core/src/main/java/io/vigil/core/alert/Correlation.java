package io.vigil.core.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who mutes whom at one instant, computed from the engine's alerts, silences, inhibition rules and dependency
 * graph: the silences that mute an alert, the firing alert that inhibits it, and the root whose incident it joined
 * as a symptom.
 *
 * <p>Symptom rule: alert A of service S is a symptom of alert R of a service S depends on (transitively) when A
 * started within the graph's window after R ({@code R.startsAt <= A.startsAt <= R.startsAt + window}) and R did
 * not end before A ({@code end(R) >= end(A)}, a firing alert's end being infinity). So while R fires, A stays its
 * symptom, also after A resolved; once R resolves while A still fires, A is split back out as its own incident.
 * Among several candidates one that is not silenced or inhibited wins over one that is (so symptoms are listed
 * under the alert that pages), then the earliest-started one, then the lower fingerprint; a symptom's root is the
 * root of its candidate if that is itself a symptom, so a chain {@code checkout → orders → orders-db} ends at the
 * database.
 */
final class Correlation {

    /** Earliest start first, then the lower fingerprint (unsigned), so the choice of root is deterministic. */
    private static final Comparator<Alert> CANDIDATE_ORDER = Comparator.comparing(Alert::startsAt)
            .thenComparing(Alert::fingerprintBits, Long::compareUnsigned);

    private final Instant now;
    private final List<Silence> activeSilences;
    private final List<InhibitRule> rules;
    /** Per rule: firing sources by the values of the rule's {@code equal} labels. */
    private final List<Map<List<String>, List<Alert>>> firingSources;
    private final DependencyGraph graph;
    private final Map<String, List<Alert>> byService = new HashMap<>();
    private final Map<Alert, Alert> rootCache = new IdentityHashMap<>();
    private final Map<Alert, Boolean> mutedCache = new IdentityHashMap<>();
    private final Map<Long, List<Alert>> symptomsByRoot = new HashMap<>();

    Correlation(Collection<StoredAlert> stored, List<Silence> activeSilences, List<InhibitRule> rules,
                DependencyGraph graph, Instant now) {
        this.now = now;
        this.activeSilences = activeSilences;
        this.rules = rules;
        this.graph = graph;
        this.firingSources = new ArrayList<>(rules.size());
        for (InhibitRule rule : rules) {
            Map<List<String>, List<Alert>> sources = new HashMap<>();
            for (StoredAlert a : stored) {
                if (!a.isResolved(now) && rule.isSource(a.alert().labels())) {
                    sources.computeIfAbsent(equalValues(rule, a.alert().labels()), k -> new ArrayList<>(1)).add(a.alert());
                }
            }
            firingSources.add(sources);
        }
        if (!graph.isEmpty()) {
            for (StoredAlert a : stored) {
                String service = a.alert().labels().get(graph.label());
                if (service != null) {
                    byService.computeIfAbsent(service, s -> new ArrayList<>()).add(a.alert());
                }
            }
            byService.values().forEach(list -> list.sort(CANDIDATE_ORDER));
            for (StoredAlert a : stored) {
                Alert root = rootOf(a.alert());
                if (root != null) {
                    symptomsByRoot.computeIfAbsent(root.fingerprintBits(), k -> new ArrayList<>()).add(a.alert());
                }
            }
            symptomsByRoot.values().forEach(list -> list.sort(LabelSets.ALERT_ORDER));
        }
    }

    /** Ids of the active silences that match {@code labels}. */
    List<String> silencedBy(Map<String, String> labels) {
        List<String> ids = List.of();
        for (Silence s : activeSilences) {
            if (s.matches(labels)) {
                if (ids.isEmpty()) {
                    ids = new ArrayList<>(2);
                }
                ids.add(s.id().orElse(""));
            }
        }
        return ids;
    }

    /** Alertmanager's {@code Inhibitor.Mutes}: the first firing source that inhibits {@code labels}, or null. */
    Alert inhibitedBy(Map<String, String> labels) {
        for (int i = 0; i < rules.size(); i++) {
            InhibitRule rule = rules.get(i);
            if (!rule.isTarget(labels)) {
                continue;
            }
            boolean alsoSource = rule.isSource(labels);
            for (Alert source : firingSources.get(i).getOrDefault(equalValues(rule, labels), List.of())) {
                if (rule.inhibits(source.labels(), labels, alsoSource)) {
                    return source;
                }
            }
        }
        return null;
    }

    private static List<String> equalValues(InhibitRule rule, Map<String, String> labels) {
        List<String> names = rule.equal();
        if (names.isEmpty()) {
            return List.of();
        }
        String[] values = new String[names.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = labels.getOrDefault(names.get(i), "");
        }
        return Arrays.asList(values);
    }

    /** Silenced or inhibited. */
    boolean isMuted(Map<String, String> labels) {
        return !silencedBy(labels).isEmpty() || inhibitedBy(labels) != null;
    }

    /** The root of the incident {@code alert} is a symptom of, or null if it is nobody's symptom. */
    Alert rootOf(Alert alert) {
        if (graph.isEmpty()) {
            return null;
        }
        if (rootCache.containsKey(alert)) {
            return rootCache.get(alert);
        }
        rootCache.put(alert, null); // the graph is acyclic, but a stale self-reference must not recurse
        Alert candidate = directCause(alert);
        Alert root = null;
        if (candidate != null) {
            Alert deeper = rootOf(candidate);
            root = deeper != null ? deeper : candidate;
        }
        rootCache.put(alert, root);
        return root;
    }

    private Alert directCause(Alert alert) {
        String service = alert.labels().get(graph.label());
        if (service == null) {
            return null;
        }
        Set<String> dependencies = graph.dependenciesOf(service);
        if (dependencies.isEmpty()) {
            return null;
        }
        Instant start = alert.startsAt();
        Instant end = end(alert);
        Instant earliest = start.minus(graph.window());
        Alert bestUnmuted = null;
        Alert bestMuted = null;
        for (String dependency : dependencies) {
            List<Alert> candidates = byService.get(dependency);
            if (candidates == null) {
                continue;
            }
            // Candidates are in start order: this service's best is the first one starting at or after
            // start - window that did not end before the alert and is not muted (else the first muted one).
            boolean mutedSeen = false;
            for (int i = firstStartingAtOrAfter(candidates, earliest); i < candidates.size(); i++) {
                Alert candidate = candidates.get(i);
                if (candidate.startsAt().isAfter(start)) {
                    break;
                }
                if (end(candidate).isBefore(end)) {
                    continue;
                }
                if (!isMutedCached(candidate)) {
                    if (bestUnmuted == null || CANDIDATE_ORDER.compare(candidate, bestUnmuted) < 0) {
                        bestUnmuted = candidate;
                    }
                    break;
                }
                if (!mutedSeen) {
                    mutedSeen = true;
                    if (bestMuted == null || CANDIDATE_ORDER.compare(candidate, bestMuted) < 0) {
                        bestMuted = candidate;
                    }
                }
            }
        }
        return bestUnmuted != null ? bestUnmuted : bestMuted;
    }

    private boolean isMutedCached(Alert alert) {
        Boolean muted = mutedCache.get(alert);
        if (muted == null) {
            muted = isMuted(alert.labels());
            mutedCache.put(alert, muted);
        }
        return muted;
    }

    private static int firstStartingAtOrAfter(List<Alert> sorted, Instant instant) {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted.get(mid).startsAt().isBefore(instant)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private Instant end(Alert alert) {
        return alert.isResolved(now) ? alert.endsAt().orElseThrow() : Instant.MAX;
    }

    /** The alerts whose incident root has this fingerprint, in Alertmanager's order. */
    List<Alert> symptomsOf(long rootFingerprint) {
        return symptomsByRoot.getOrDefault(rootFingerprint, List.of());
    }
}
