package io.vigil.examples;

import io.vigil.core.testkit.PrometheusScrape;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo on a real PostgreSQL given by URL (the binaries shipped through Maven), and on one that refuses it. */
class DemoPostgresTest {

    private static EmbeddedPostgres postgres;
    private static String ordersUrl;

    @TempDir
    Path directory;

    @BeforeAll
    static void startPostgresWithAUserThatMayNotCreateTables() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection admin = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE ROLE app LOGIN PASSWORD 'app-secret'");
            statement.execute("CREATE DATABASE shop");
        }
        ordersUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/shop";
        try (Connection admin = DriverManager.getConnection(ordersUrl, "postgres", "");
             Statement statement = admin.createStatement()) {
            statement.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void ordersAreStoredInPostgresGivenByUrl() throws Exception {
        try (DemoService demo = DemoService.start(DemoConfig.builder().port(0).shutdownGrace(Duration.ZERO)
                .database(ordersUrl, "postgres", null).build())) {
            RawHttp.Response placed = RawHttp.post(demo.port(), "/orders", "item=pen&quantity=4");
            assertThat(placed.status()).isEqualTo(201);
            String location = placed.head().lines().filter(line -> line.startsWith("Location: ")).findFirst()
                    .orElseThrow().substring("Location: ".length());
            assertThat(RawHttp.get(demo.port(), location).body()).contains("\"item\":\"pen\"", "\"quantity\":4");

            PrometheusScrape scrape = PrometheusScrape.parse(RawHttp.get(demo.port(), "/metrics").body());
            assertThat(scrape.value("db_client_operation_duration_seconds_count", "db_system", "postgresql",
                    "db_namespace", "orders", "db_operation", "INSERT", "outcome", "success")).isEqualTo(1);
            assertThat(scrape.value("db_client_operation_duration_seconds_count", "db_system", "postgresql",
                    "db_operation", "SELECT", "outcome", "success")).isEqualTo(1);
            assertThat(scrape.value("db_client_transactions_total", "outcome", "commit")).isEqualTo(1);
        }
        try (Connection check = DriverManager.getConnection(ordersUrl, "postgres", "");
             Statement statement = check.createStatement()) {
            assertThat(statement.executeQuery("SELECT count(*) FROM orders WHERE item = 'pen'").next()).isTrue();
        }
    }

    @Test
    void aDatabaseThatRefusesTheSchemaFailsInOneLineAndStopsTheRedisAlreadyStarted() throws Exception {
        try (DemoProcess demo = DemoProcess.start(directory, Map.of("PORT", "0", "DATABASE_URL", ordersUrl,
                "DATABASE_USER", "app", "DATABASE_PASSWORD", "app-secret"))) {
            int exit = demo.awaitExit(Duration.ofSeconds(60));
            List<String> lines = demo.stderrLines();

            assertThat(exit).as(demo.stderr()).isEqualTo(DemoService.EXIT_CANNOT_START);
            assertThat(lines).as("redis-server ran before the schema failed")
                    .anyMatch(line -> line.contains("Started the bundled redis-server"));
            assertThat(lines).filteredOn(line -> line.startsWith("vigil-demo:")).containsExactly(
                    "vigil-demo: cannot create the orders table in " + ordersUrl
                            + ": ERROR: permission denied for schema public");
            assertThat(lines.get(lines.size() - 1)).startsWith("vigil-demo:");
            assertThat(demo.stderr()).doesNotContain("\tat ", "app-secret");
            assertThat(RedisProcesses.under(demo.tmpDirectory())).as("redis-server left running").isEmpty();
        }
    }
}
