package io.vigil.alerts.promql;

/** PromQL's static expression types, as the parser checks them. */
enum ValueType {
    SCALAR("scalar"), VECTOR("instant vector"), MATRIX("range vector"), STRING("string");

    private final String documented;

    ValueType(String documented) {
        this.documented = documented;
    }

    @Override
    public String toString() {
        return documented;
    }
}
