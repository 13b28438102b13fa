package io.vigil.jdbc;

import io.vigil.core.normalize.SqlOperation;

/**
 * The {@code db.operation} values as small integers, so meters live in arrays: core's {@link SqlOperation}
 * verbs by ordinal, then {@code BATCH} for {@code executeBatch()}.
 */
final class Operations {

    private static final SqlOperation[] VERBS = SqlOperation.values();
    static final int BATCH = VERBS.length;
    static final int COUNT = VERBS.length + 1;
    private static final String[] TAGS = new String[COUNT];

    static {
        for (SqlOperation verb : VERBS) {
            TAGS[verb.ordinal()] = verb.name();
        }
        TAGS[BATCH] = "BATCH";
    }

    private Operations() {
    }

    static int index(SqlOperation operation) {
        return operation.ordinal();
    }

    static int of(String sql) {
        return SqlOperation.of(sql).ordinal();
    }

    static String tag(int operation) {
        return TAGS[operation];
    }
}
