package io.vigil.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What monitoring costs per JDBC call on a database so fast (H2 in memory, in-process) that the instrumentation
 * is a visible share of the call: the absolute overhead in ns/op and B/op is what counts here.
 *
 * <h2>Setup, identical for every variant</h2>
 * <ul>
 *   <li>Each trial gets a fresh H2 in-memory database ({@code account}: 1,000 rows; {@code ledger}: empty,
 *       truncated before every iteration) behind a HikariCP 7 pool of {@code threads + 1} connections, so no
 *       thread waits for a connection. The variant wraps that pool: {@code bare} uses it directly, the others
 *       wrap it as their documentation says (see {@link JdbcVariant} for each configuration). Only the running
 *       variant is built in a trial.</li>
 *   <li>Every operation does what application code does with a pool: borrow a connection,
 *       {@code prepareStatement}, bind, execute, read, close everything (try-with-resources). The benchmark
 *       methods of one workload share one body and differ only in the DataSource they borrow from.</li>
 *   <li>{@code pointSelect}: a primary-key lookup of one of the 1,000 accounts (cycling), reading all three
 *       columns. {@code insert}: one auto-committed row with an ever-increasing id. {@code batch}: ten rows
 *       through {@code addBatch} and one {@code executeBatch}.</li>
 *   <li>Before measurement each instrumented variant runs one probe query and must show it recorded it (timer
 *       count, span and histogram), so no peer is measured while silently doing nothing.</li>
 * </ul>
 */
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class JdbcH2Benchmark {

    static final String INSERT_LEDGER = "INSERT INTO ledger (id, account_id, amount) VALUES (?, ?, ?)";
    static final int BATCH_SIZE = 10;

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private HikariDataSource pool;
    private JdbcVariant variant;
    private DataSource dataSource;
    private final AtomicLong nextLedgerId = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws SQLException {
        HikariConfig config = new HikariConfig();
        // Lives as long as one pooled connection is open: closing the pool drops the database.
        config.setJdbcUrl("jdbc:h2:mem:bench" + DATABASES.incrementAndGet());
        config.setPoolName("h2");
        config.setMaximumPoolSize(params.getThreads() + 1);
        config.setMinimumIdle(params.getThreads() + 1);
        pool = new HikariDataSource(config);
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(Accounts.CREATE_TABLE);
            statement.execute("CREATE TABLE ledger (id BIGINT PRIMARY KEY, account_id INT NOT NULL, "
                    + "amount BIGINT NOT NULL)");
            statement.execute("INSERT INTO account SELECT x, 'account-' || x, x * 100 FROM SYSTEM_RANGE(1, "
                    + Accounts.COUNT + ")");
        }
        variant = JdbcVariant.forBenchmark(params.getBenchmark(), pool);
        dataSource = variant.dataSource();
        Accounts.pointSelect(dataSource, 1);
        variant.verifyRecorded();
    }

    @Setup(Level.Iteration)
    public void truncateLedger() throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE TABLE ledger");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (variant != null) {
            variant.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    // pointSelect: borrow, prepare, bind, executeQuery, read one row, close all.

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

    // insert: borrow, prepare, bind, executeUpdate (auto-commit), close all.

    @Benchmark
    public int insert_bare(AccountCursor cursor) throws SQLException {
        return insert(cursor.nextAccount());
    }

    @Benchmark
    public int insert_vigil(AccountCursor cursor) throws SQLException {
        return insert(cursor.nextAccount());
    }

    @Benchmark
    public int insert_datasourceProxy(AccountCursor cursor) throws SQLException {
        return insert(cursor.nextAccount());
    }

    @Benchmark
    public int insert_p6spy(AccountCursor cursor) throws SQLException {
        return insert(cursor.nextAccount());
    }

    @Benchmark
    public int insert_otelJdbc(AccountCursor cursor) throws SQLException {
        return insert(cursor.nextAccount());
    }

    @Benchmark
    public int insert_datasourceMicrometer(AccountCursor cursor) throws SQLException {
        return insert(cursor.nextAccount());
    }

    // batch: borrow, prepare, ten times bind + addBatch, executeBatch (auto-commit), close all.

    @Benchmark
    public int batch_bare(AccountCursor cursor) throws SQLException {
        return batch(cursor.nextAccount());
    }

    @Benchmark
    public int batch_vigil(AccountCursor cursor) throws SQLException {
        return batch(cursor.nextAccount());
    }

    @Benchmark
    public int batch_datasourceProxy(AccountCursor cursor) throws SQLException {
        return batch(cursor.nextAccount());
    }

    @Benchmark
    public int batch_p6spy(AccountCursor cursor) throws SQLException {
        return batch(cursor.nextAccount());
    }

    @Benchmark
    public int batch_otelJdbc(AccountCursor cursor) throws SQLException {
        return batch(cursor.nextAccount());
    }

    @Benchmark
    public int batch_datasourceMicrometer(AccountCursor cursor) throws SQLException {
        return batch(cursor.nextAccount());
    }

    private int insert(int accountId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(INSERT_LEDGER)) {
            statement.setLong(1, nextLedgerId.incrementAndGet());
            statement.setInt(2, accountId);
            statement.setLong(3, 42L);
            return statement.executeUpdate();
        }
    }

    private int batch(int accountId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(INSERT_LEDGER)) {
            for (int i = 0; i < BATCH_SIZE; i++) {
                statement.setLong(1, nextLedgerId.incrementAndGet());
                statement.setInt(2, accountId);
                statement.setLong(3, i);
                statement.addBatch();
            }
            int[] counts = statement.executeBatch();
            return counts.length;
        }
    }
}
