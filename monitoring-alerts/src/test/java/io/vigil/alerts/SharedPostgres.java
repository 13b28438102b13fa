package io.vigil.alerts;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One real PostgreSQL 14 (binaries shipped through Maven) for the whole test run, as monitoring-jdbc's tests
 * start it: by the first test class that needs it, stopped by JUnit when the run ends.
 */
final class SharedPostgres implements BeforeAllCallback {

    private static volatile EmbeddedPostgres postgres;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedPostgres.class, key -> new Running(), Running.class);
    }

    static DataSource dataSource() {
        if (postgres == null) {
            throw new IllegalStateException("PostgreSQL not started: add @ExtendWith(SharedPostgres.class)");
        }
        return postgres.getPostgresDatabase();
    }

    static String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** Drops Vigil's tables so that each test starts empty. */
    static void reset() throws Exception {
        try (java.sql.Connection c = dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
            for (String table : new String[] {"vigil_pending", "vigil_notification_log", "vigil_silence",
                "vigil_acknowledgement", "vigil_escalation"}) {
                s.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    private static final class Running implements AutoCloseable {
        Running() {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            postgres.close();
            postgres = null;
        }
    }
}
