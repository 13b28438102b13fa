package io.vigil.alerts;

/**
 * A token, password, routing key or keyed URL. Its {@code toString} never shows the value, and {@link #redact}
 * removes it from any text (an exception message from a library, say) before that text reaches a log.
 */
final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    static Secret of(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return new Secret(value);
    }

    String reveal() {
        return value;
    }

    /** {@code text} with every occurrence of this secret replaced by {@code ****}. */
    String redact(String text) {
        return text == null ? null : text.replace(value, "****");
    }

    @Override
    public String toString() {
        return "****";
    }
}
