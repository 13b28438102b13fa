package io.vigil.alerts;

import org.h2.jdbcx.JdbcDataSource;

import java.time.Duration;
import java.util.UUID;

/** The store contract on H2. */
class H2DeliveryStoreTest extends DeliveryStoreContract {

    private final JdbcDataSource dataSource = new JdbcDataSource();

    H2DeliveryStoreTest() {
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    @Override
    DeliveryStore open() {
        return new JdbcDeliveryStore(dataSource, Duration.ofDays(7), 1000);
    }
}
