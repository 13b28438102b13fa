package io.vigil.alerts;

/**
 * A failed delivery worth retrying, with a message already free of secrets and no cause attached (a library's
 * exception may print the URL it called, which can hold a key).
 */
final class DeliveryFailure extends Exception {
    private static final long serialVersionUID = 1L;

    DeliveryFailure(String message) {
        super(message, null, false, false);
    }
}
