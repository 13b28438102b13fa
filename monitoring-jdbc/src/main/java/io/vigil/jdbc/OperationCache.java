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

    /**
     * One cached SQL string and its operation, immutable: a connection keeps the last one it used in a single
     * field ({@link MonitoredConnection#operationOf}), so reading the pair is atomic without a lock.
     */
    record Entry(String sql, int operation) {
    }

    private final ConcurrentHashMap<String, Entry> bySql = new ConcurrentHashMap<>();

    int of(String sql) {
        if (sql == null) {
            return Operations.index(SqlOperation.OTHER);
        }
        Entry cached = entry(sql);
        return cached != null ? cached.operation() : Operations.index(SqlOperation.of(sql));
    }

    /** The cached entry of this SQL, parsed and added if there is room; null if it is not (and will not be) cached. */
    Entry entry(String sql) {
        Entry cached = bySql.get(sql);
        if (cached != null) {
            return cached;
        }
        if (sql.length() > MAX_CACHED_SQL_LENGTH || bySql.size() >= MAX_ENTRIES) {
            return null;
        }
        Entry parsed = new Entry(sql, Operations.index(SqlOperation.of(sql)));
        Entry raced = bySql.putIfAbsent(sql, parsed);
        return raced != null ? raced : parsed;
    }
}
