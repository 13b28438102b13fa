package io.vigil.alerts;

import io.vigil.jdbc.testkit.SharedPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

/** The store contract on a real PostgreSQL 14 (embedded, from Maven). */
@ExtendWith(SharedPostgres.class)
class PostgresDeliveryStoreTest extends DeliveryStoreContract {

    @BeforeEach
    void empty() throws Exception {
        DeliveryTables.dropAll();
    }

    @Override
    DeliveryStore open() {
        return new JdbcDeliveryStore(SharedPostgres.dataSource(), Duration.ofDays(7), 1000);
    }
}
