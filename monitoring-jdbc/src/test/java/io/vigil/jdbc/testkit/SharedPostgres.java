package io.vigil.jdbc.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One real PostgreSQL 14 (binaries shipped through Maven) for the whole test run: started by the first test
 * class that needs it, stopped by JUnit when the run ends (the root store closes what it holds). Shared with other
 * modules' tests through monitoring-jdbc's test-jar.
 */
public final class SharedPostgres implements BeforeAllCallback {

    private static volatile EmbeddedPostgres postgres;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedPostgres.class, key -> new Running(), Running.class);
    }

    public static DataSource dataSource() {
        if (postgres == null) {
            throw new IllegalStateException("PostgreSQL not started: add @ExtendWith(SharedPostgres.class)");
        }
        return postgres.getPostgresDatabase();
    }

    public static String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
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
