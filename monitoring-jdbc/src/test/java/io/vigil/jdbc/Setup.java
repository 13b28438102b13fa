package io.vigil.jdbc;

/** The four databases every behavioural case runs against: H2 and PostgreSQL, each plain and behind HikariCP. */
enum Setup {
    H2_PLAIN("h2", false),
    H2_HIKARI("h2", true),
    POSTGRES_PLAIN("postgresql", false),
    POSTGRES_HIKARI("postgresql", true);

    final String system;
    final boolean pooled;

    Setup(String system, boolean pooled) {
        this.system = system;
        this.pooled = pooled;
    }

    boolean postgres() {
        return system.equals("postgresql");
    }
}
