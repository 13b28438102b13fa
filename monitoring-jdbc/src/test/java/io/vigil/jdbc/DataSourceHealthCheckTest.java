package io.vigil.jdbc;

import io.vigil.jdbc.testkit.SharedPostgres;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

@ExtendWith(SharedPostgres.class)
class DataSourceHealthCheckTest {

    @ParameterizedTest
    @EnumSource(Setup.class)
    void upAgainstALiveDatabaseWithLatency(Setup setup) throws Exception {
        try (Fixture db = Fixture.open(setup)) {
            HealthResult valid = DataSourceHealthCheck.builder(db.monitored).timeout(Duration.ofSeconds(10)).build()
                    .check();
            assertThat(valid.status()).isEqualTo(HealthStatus.UP);
            assertThat(valid.details()).containsEntry("validation", "isValid");
            assertThat((Double) valid.details().get("latencyMs")).isNotNegative();

            HealthResult query = DataSourceHealthCheck.builder(db.monitored).validationQuery("SELECT 1")
                    .timeout(Duration.ofSeconds(10)).build().check();
            assertThat(query.status()).isEqualTo(HealthStatus.UP);
            assertThat(query.details()).containsEntry("validation", "query").containsKey("latencyMs");
            assertThat(db.successes("SELECT")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Setup.class, names = {"H2_HIKARI", "POSTGRES_HIKARI"})
    void downAgainstAClosedPool(Setup setup) throws Exception {
        try (Fixture db = Fixture.open(setup)) {
            db.pool.close();
            HealthResult result = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> DataSourceHealthCheck.builder(db.monitored).timeout(Duration.ofSeconds(1)).build().check());
            assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
            assertThat((String) result.details().get("error")).contains("closed");
        }
    }

    /** A server that accepts connections and never answers: the driver would wait forever. */
    @Test
    void downWithinItsTimeoutAgainstADatabaseThatNeverAnswers() throws Exception {
        try (SilentServer server = new SilentServer()) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setServerNames(new String[] {"127.0.0.1"});
            dataSource.setPortNumbers(new int[] {server.port()});
            dataSource.setUser("nobody");
            dataSource.setConnectTimeout(0);
            dataSource.setSocketTimeout(0);
            DataSourceHealthCheck check = DataSourceHealthCheck.builder(dataSource)
                    .timeout(Duration.ofMillis(300)).build();

            HealthResult first = assertTimeoutPreemptively(Duration.ofSeconds(10), check::check);
            assertThat(first.status()).isEqualTo(HealthStatus.DOWN);
            assertThat(first.details()).containsEntry("error", "no answer within 300 ms");

            // The first probe is still stuck in the driver: the next check answers at once, without a new thread.
            HealthResult second = assertTimeoutPreemptively(Duration.ofSeconds(10), check::check);
            assertThat(second.status()).isEqualTo(HealthStatus.DOWN);
            assertThat((String) second.details().get("error")).contains("previous check has not finished");
        }
    }

    @Test
    void rejectsBadConfiguration() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        assertThatThrownBy(() -> DataSourceHealthCheck.builder(dataSource).timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DataSourceHealthCheck.builder(dataSource).validationQuery(" "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DataSourceHealthCheck.builder(null)).isInstanceOf(NullPointerException.class);
        assertThat(DataSourceHealthCheck.of(dataSource)).isNotNull();
    }

    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        SilentServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(socket.accept());
                    }
                } catch (IOException closed) {
                    // server closed
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket client : accepted) {
                client.close();
            }
        }
    }
}
