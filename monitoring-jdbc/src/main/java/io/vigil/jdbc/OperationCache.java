package io.vigil.jdbc;

import io.vigil.core.normalize.SqlOperation;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code db.operation} index of each prepared SQL string, parsed once. Bounded: only statements up to
 * {@link #MAX_CACHED_SQL_LENGTH} characters are kept, at most {@link #MAX_ENTRIES} of them; anything else is
 * parsed each time (the parser reads only up to the verb, so that stays cheap).
 */
final class OperationCache {

    static final int MAX_ENTRIES = 1024;
    static final int MAX_CACHED_SQL_LENGTH = 4096;

    private final ConcurrentHashMap<String, Integer> bySql = new ConcurrentHashMap<>();

    int of(String sql) {
        if (sql == null) {
            return Operations.index(SqlOperation.OTHER);
        }
        Integer cached = bySql.get(sql);
        if (cached != null) {
            return cached;
        }
        int operation = Operations.index(SqlOperation.of(sql));
        if (sql.length() <= MAX_CACHED_SQL_LENGTH && bySql.size() < MAX_ENTRIES) {
            bySql.putIfAbsent(sql, Operations.boxed(operation));
        }
        return operation;
    }
}
