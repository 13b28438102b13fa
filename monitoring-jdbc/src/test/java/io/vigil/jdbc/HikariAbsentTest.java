package io.vigil.jdbc;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HikariCP is an optional dependency: without it on the class path, a plain DataSource is monitored as usual. */
class HikariAbsentTest {

    @Test
    void worksWithoutHikariOnTheClassPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("HikariCP")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:nohikari;DB_CLOSE_DELAY=-1");
        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(new URL[0]),
                ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> Class.forName("com.zaxxer.hikari.HikariDataSource", false, isolated))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> registryType = isolated.loadClass("io.micrometer.core.instrument.MeterRegistry");
            Object registry = isolated.loadClass("io.micrometer.core.instrument.simple.SimpleMeterRegistry")
                    .getConstructor().newInstance();
            Class<?> monitoredType = isolated.loadClass("io.vigil.jdbc.MonitoredDataSource");
            assertThat(monitoredType).isNotSameAs(MonitoredDataSource.class);
            DataSource monitored = (DataSource) monitoredType.getMethod("wrap", DataSource.class, registryType)
                    .invoke(null, h2, registry);
            try (Connection connection = monitored.getConnection(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT 1")) {
                assertThat(rows.next()).isTrue();
            }
            for (String meter : List.of("db.client.operation.duration", "db.client.connection.count")) {
                Object search = registryType.getMethod("find", String.class).invoke(registry, meter);
                assertThat(search.getClass().getMethod("meter").invoke(search)).as(meter).isNotNull();
            }
            ((AutoCloseable) monitored).close();
        }
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        }
    }
}
