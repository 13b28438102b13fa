package io.vigil.core.app;

/** The {@code result} tag of {@code security.login.attempts}. */
public enum LoginResult {
    SUCCESS("success"),
    FAILURE("failure"),
    /** Refused without checking the credentials: locked account, throttled client. */
    BLOCKED("blocked");

    private final String tag;

    LoginResult(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
