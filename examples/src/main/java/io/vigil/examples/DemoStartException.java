package io.vigil.examples;

/**
 * The demo could not start because of its environment (port taken, database or Redis unreachable). The message
 * is one line for a person: what could not be done, where, and why; it never carries a password.
 */
public final class DemoStartException extends Exception {

    private static final long serialVersionUID = 1L;

    DemoStartException(String what, Throwable cause) {
        super(what + ": " + reason(cause), cause);
    }

    /** The innermost message, first line only: drivers like to wrap one cause in several layers. */
    static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            message = failure.getMessage();
        }
        if (message == null || message.isBlank()) {
            return cause.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return (newline >= 0 ? message.substring(0, newline) : message).strip();
    }
}
