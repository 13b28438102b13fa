package io.vigil.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqlSanitizerTest {

    @Test
    void replacesStringAndNumberLiterals() {
        assertThat(SqlSanitizer.sanitize("SELECT * FROM users WHERE email = 'a@b.c' AND age > 42 AND score = -1.5e3"))
                .isEqualTo("SELECT * FROM users WHERE email = ? AND age > ? AND score = -?");
    }

    @Test
    void keepsIdentifiersPlaceholdersAndQuotedNames() {
        assertThat(SqlSanitizer.sanitize("SELECT t1.col2, \"Weird 42\" FROM table_3 t1 WHERE id = ? AND x = $1"))
                .isEqualTo("SELECT t1.col2, \"Weird 42\" FROM table_3 t1 WHERE id = ? AND x = $1");
    }

    @Test
    void handlesEscapedQuotesDollarQuotesAndComments() {
        assertThat(SqlSanitizer.sanitize("SELECT 'it''s', E'a\\'b', $tag$ secret $tag$ -- note 123\n  /* pw=1 */ FROM x"))
                .isEqualTo("SELECT ?, E?, ? FROM x");
    }

    @Test
    void anUnterminatedLiteralIsRedactedToTheEnd() {
        assertThat(SqlSanitizer.sanitize("UPDATE t SET p = 'hunter2 WHERE id = 7")).isEqualTo("UPDATE t SET p = ?");
    }

    @Test
    void longStatementsAreCut() {
        String sanitized = SqlSanitizer.sanitize("SELECT " + "col, ".repeat(100_000) + "x FROM t");
        assertThat(sanitized).hasSizeLessThan(SqlSanitizer.MAX_LENGTH + 40).endsWith("chars)");
    }
}
