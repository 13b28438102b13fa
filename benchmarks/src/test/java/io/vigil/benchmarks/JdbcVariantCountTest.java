package io.vigil.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The check that keeps a peer from being measured broken: after a trial, each instrumented variant must have
 * recorded exactly the statements the stub driver executed. Proven both ways: it passes when every statement
 * went through the instrumentation, and fails, naming the variant, as soon as one went around it.
 */
class JdbcVariantCountTest {

    private static final int CYCLES = 25;

    @ParameterizedTest
    @ValueSource(strings = {"vigil", "datasourceProxy", "p6spy", "otelJdbc", "datasourceMicrometer"})
    void everyInstrumentedVariantRecordsExactlyWhatTheStubExecuted(String name) throws Exception {
        StubDataSource stub = new StubDataSource();
        try (JdbcVariant variant = JdbcVariant.of(name, stub)) {
            try (Connection connection = variant.dataSource().getConnection()) {
                for (int i = 1; i <= CYCLES; i++) {
                    assertThat(JdbcStubBenchmark.statementCycle(connection, i)).isEqualTo(StubResultSet.VALUE);
                }
            }
            assertThat(stub.executions()).isEqualTo(CYCLES);
            assertThatNoException().isThrownBy(() -> variant.verifyCounted(stub.executions()));

            // One statement around the instrumentation, straight on the driver: the counts no longer match.
            try (Connection raw = stub.getConnection()) {
                JdbcStubBenchmark.statementCycle(raw, 1);
            }
            assertThatIllegalStateException()
                    .isThrownBy(() -> variant.verifyCounted(stub.executions()))
                    .withMessage(name + " recorded " + CYCLES + " statements of the " + (CYCLES + 1)
                            + " it was sent: the comparison would not be fair");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vigil", "datasourceProxy", "p6spy", "otelJdbc", "datasourceMicrometer"})
    void aVariantThatRecordedNothingFailsBeforeMeasurement(String name) {
        try (JdbcVariant variant = JdbcVariant.of(name, new StubDataSource())) {
            assertThatIllegalStateException().isThrownBy(variant::verifyRecorded)
                    .withMessageStartingWith(name + " recorded nothing");
        }
    }

    @Test
    void theBareVariantIsTheStubItself() throws Exception {
        StubDataSource stub = new StubDataSource();
        try (JdbcVariant bare = JdbcVariant.of("bare", stub)) {
            assertThat(bare.dataSource()).isSameAs(stub);
            try (Connection connection = bare.dataSource().getConnection()) {
                JdbcStubBenchmark.statementCycle(connection, 7);
            }
            assertThat(stub.executions()).isEqualTo(1);
            assertThat(stub.connections()).isEqualTo(1);
        }
    }
}
