package io.vigil.alerts;

import java.util.List;

/**
 * What sending a claimed group notification means, written in the same transaction as the claim so that a node
 * dying right after its claim leaves the work to the others instead of losing the page: deliveries to accept,
 * and for an escalated receiver the incident's new escalation state (or the incident to close).
 */
record ClaimWork(List<Delivery> deliveries, EscalationState putEscalation, String closeIncident) {

    /** One delivery to accept, as {@link DeliveryStore#addPending} would. */
    record Delivery(String channel, String key, AlertNotification notification) {
    }

    ClaimWork {
        deliveries = List.copyOf(deliveries);
    }
}
