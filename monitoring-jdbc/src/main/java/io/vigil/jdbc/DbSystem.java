package io.vigil.jdbc;

import io.vigil.core.internal.InternalErrors;

import java.sql.Connection;
import java.util.Locale;

/**
 * The {@code db.system} tag: OpenTelemetry's name for the database product, read once per DataSource from
 * {@link java.sql.DatabaseMetaData#getDatabaseProductName()}.
 */
final class DbSystem {

    static final String OTHER = "other_sql";

    private DbSystem() {
    }

    static String of(Connection connection, InternalErrors errors) {
        try {
            return fromProductName(connection.getMetaData().getDatabaseProductName());
        } catch (Throwable error) {
            errors.record(error);
            return OTHER;
        }
    }

    static String fromProductName(String productName) {
        if (productName == null) {
            return OTHER;
        }
        String product = productName.toLowerCase(Locale.ROOT);
        if (product.startsWith("h2")) {
            return "h2";
        } else if (product.contains("postgres")) {
            return "postgresql";
        } else if (product.contains("mariadb")) {
            return "mariadb";
        } else if (product.contains("mysql")) {
            return "mysql";
        } else if (product.contains("oracle")) {
            return "oracle";
        } else if (product.contains("sql server")) {
            return "mssql";
        } else if (product.startsWith("db2")) {
            return "db2";
        } else if (product.contains("hsql")) {
            return "hsqldb";
        } else if (product.contains("derby")) {
            return "derby";
        } else if (product.contains("sqlite")) {
            return "sqlite";
        } else if (product.contains("cockroach")) {
            return "cockroachdb";
        }
        return OTHER;
    }
}
