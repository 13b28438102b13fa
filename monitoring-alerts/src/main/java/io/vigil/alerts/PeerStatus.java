package io.vigil.alerts;

/**
 * A node alive in the database that nodes share, as Alertmanager's {@code peerStatus} shows a cluster peer: its
 * node id and the address of the host it runs on (best effort: empty when the host has no resolvable name).
 */
record PeerStatus(String name, String address) {
}
