package io.vigil.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * What each JDBC instrumentation adds per statement, to a few nanoseconds: the calls go to a stub driver
 * ({@link StubDataSource}) that answers constants without I/O or allocation, as in HikariCP's own benchmark, so
 * the bare variant is the cost of the calls themselves and every other variant's difference to it is its
 * wrapper's cost (time and bytes) — which no real database round trip on a shared machine can resolve.
 *
 * <ul>
 *   <li>Each benchmark thread has its own stub, its own variant (see {@link JdbcVariant} for how each is
 *       configured) and its own registry: nothing is shared between threads.</li>
 *   <li>{@code statementCycle}: on a connection opened once per trial through the variant's DataSource,
 *       {@code prepareStatement}, bind one parameter, {@code executeQuery}, {@code next} and read one column,
 *       close the result set and the statement (try-with-resources), as application code does.</li>
 *   <li>After each trial every instrumented variant must have recorded exactly the statements the stub
 *       executed ({@link JdbcVariant#verifyCounted}): a peer that silently drops work fails the run instead of
 *       looking cheap.</li>
 * </ul>
 */
// Long warmup iterations: on a loaded machine the JIT needs ~10 s to compile the peers' larger code (OpenTelemetry
// ran interpreted, 20-50x slower, after 3 s), and a `-wi 3` on the command line keeps this time.
@Warmup(iterations = 4, time = 5)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class JdbcStubBenchmark {

    private StubDataSource stub;
    private JdbcVariant variant;
    private Connection connection;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws SQLException {
        stub = new StubDataSource();
        variant = JdbcVariant.forBenchmark(params.getBenchmark(), stub);
        connection = variant.dataSource().getConnection();
        statementCycle(connection, 1);
        variant.verifyRecorded();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        try {
            connection.close();
            variant.verifyCounted(stub.executions());
        } finally {
            variant.close();
        }
    }

    /** Prepare, bind, execute, read one column of the one row, close all: the connection stays open. */
    static int statementCycle(Connection connection, int id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(Accounts.SELECT_BY_ID)) {
            statement.setInt(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("No row " + id);
                }
                return rows.getInt(1);
            }
        }
    }

    // statementCycle: prepare, bind, executeQuery, next + getInt, close result set and statement.

    @Benchmark
    public int statementCycle_bare(AccountCursor cursor) throws SQLException {
        return statementCycle(connection, cursor.nextAccount());
    }

    @Benchmark
    public int statementCycle_vigil(AccountCursor cursor) throws SQLException {
        return statementCycle(connection, cursor.nextAccount());
    }

    @Benchmark
    public int statementCycle_datasourceProxy(AccountCursor cursor) throws SQLException {
        return statementCycle(connection, cursor.nextAccount());
    }

    @Benchmark
    public int statementCycle_p6spy(AccountCursor cursor) throws SQLException {
        return statementCycle(connection, cursor.nextAccount());
    }

    @Benchmark
    public int statementCycle_otelJdbc(AccountCursor cursor) throws SQLException {
        return statementCycle(connection, cursor.nextAccount());
    }

    @Benchmark
    public int statementCycle_datasourceMicrometer(AccountCursor cursor) throws SQLException {
        return statementCycle(connection, cursor.nextAccount());
    }
}
