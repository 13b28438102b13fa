package io.vigil.alerts;

import java.util.List;

/**
 * Alertmanager's {@code clusterStatus} for {@code GET /api/v2/status}: {@code disabled} for one process;
 * {@code ready} for a node on a shared store once its heartbeat is in the database, with the nodes alive there
 * as {@code peers} (itself included, as Alertmanager lists itself); {@code settling} before that, or while the
 * database cannot be read (the node cannot coordinate then).
 */
record ClusterStatus(String name, String status, List<PeerStatus> peers) {

    static final ClusterStatus DISABLED = new ClusterStatus(null, "disabled", List.of());

    ClusterStatus {
        peers = List.copyOf(peers);
    }
}
