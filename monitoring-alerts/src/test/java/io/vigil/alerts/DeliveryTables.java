package io.vigil.alerts;

import io.vigil.jdbc.testkit.SharedPostgres;

import java.sql.Connection;
import java.sql.Statement;

/** Drops the JDBC delivery store's tables in the shared PostgreSQL, so that each test starts empty. */
final class DeliveryTables {

    private DeliveryTables() {
    }

    static void dropAll() throws Exception {
        try (Connection c = SharedPostgres.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String table : new String[] {"vigil_pending", "vigil_notification_log", "vigil_silence",
                "vigil_acknowledgement", "vigil_escalation", "vigil_counter", "vigil_group_log", "vigil_node"}) {
                s.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }
}
