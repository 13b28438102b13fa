package io.vigil.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DbSystemTest {

    @Test
    void mapsProductNamesToOpenTelemetryValues() {
        assertThat(DbSystem.fromProductName("H2")).isEqualTo("h2");
        assertThat(DbSystem.fromProductName("PostgreSQL")).isEqualTo("postgresql");
        assertThat(DbSystem.fromProductName("MySQL")).isEqualTo("mysql");
        assertThat(DbSystem.fromProductName("MariaDB")).isEqualTo("mariadb");
        assertThat(DbSystem.fromProductName("Microsoft SQL Server")).isEqualTo("mssql");
        assertThat(DbSystem.fromProductName("Oracle")).isEqualTo("oracle");
        assertThat(DbSystem.fromProductName("DB2/LINUXX8664")).isEqualTo("db2");
        assertThat(DbSystem.fromProductName("HSQL Database Engine")).isEqualTo("hsqldb");
        assertThat(DbSystem.fromProductName("Something'; DROP TABLE x")).isEqualTo(DbSystem.OTHER);
        assertThat(DbSystem.fromProductName(null)).isEqualTo(DbSystem.OTHER);
    }

    @Test
    void errorTypeIsTheSqlStateClass() {
        assertThat(OperationMeters.errorType(new java.sql.SQLException("x", "23505"))).isEqualTo("23");
        assertThat(OperationMeters.errorType(new java.sql.SQLException("x", "42p01"))).isEqualTo("42");
        assertThat(OperationMeters.errorType(new java.sql.SQLException("x"))).isEqualTo("SQLException");
        assertThat(OperationMeters.errorType(new java.sql.SQLException("x", "'; "))).isEqualTo("SQLException");
        assertThat(OperationMeters.errorType(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}
