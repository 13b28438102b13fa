package io.vigil.alerts.promql;

/** A PromQL expression outside the supported subset or not well formed; the message names what and where. */
public final class PromQLException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int position;

    public PromQLException(String message, int position) {
        super(message + " (at position " + position + ")");
        this.position = position;
    }

    /** Zero-based character offset in the expression. */
    public int position() {
        return position;
    }
}
