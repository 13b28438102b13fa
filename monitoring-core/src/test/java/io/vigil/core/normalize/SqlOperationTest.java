package io.vigil.core.normalize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SqlOperationTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", value = {
        "SELECT * FROM t => SELECT",
        "select 1 => SELECT",
        "  \n\t Select x from y => SELECT",
        "INSERT INTO t VALUES (1) => INSERT",
        "update t set a = 1 => UPDATE",
        "DELETE FROM t WHERE id = ? => DELETE",
        "MERGE INTO t USING s ON (t.id = s.id) => MERGE",
        "CALL my_proc(?) => CALL",
        "{call my_proc(?)} => CALL",
        "{ ? = call my_func(?) } => CALL",
        "EXEC sp_who => CALL",
        "CREATE TABLE t (id int) => DDL",
        "alter table t add column x int => DDL",
        "DROP INDEX i => DDL",
        "TRUNCATE TABLE t => DDL",
        "GRANT SELECT ON t TO u => DDL",
        "BEGIN => OTHER",
        "SET search_path TO x => OTHER",
        "\"select\" => OTHER",
        "selectx FROM t => OTHER",
        "select_1 => OTHER",
        "'' => OTHER",
        "-- only a comment => OTHER",
        "/* unterminated => OTHER",
        "VALUES (1), (2) => SELECT",
        "((SELECT 1) UNION (SELECT 2)) => SELECT",
        "( ( select 1 ) ) => SELECT",
    })
    void verbs(String sql, String expected) {
        assertThat(SqlOperation.of(sql)).isEqualTo(SqlOperation.valueOf(expected));
    }

    @Test
    void skipsLineAndBlockCommentsIncludingNested() {
        assertThat(SqlOperation.of("-- fetch users\n-- second line\nSELECT 1")).isEqualTo(SqlOperation.SELECT);
        assertThat(SqlOperation.of("/* app=shop, route=/x */ UPDATE t SET a=1")).isEqualTo(SqlOperation.UPDATE);
        assertThat(SqlOperation.of("/* outer /* inner */ still comment */ DELETE FROM t")).isEqualTo(SqlOperation.DELETE);
        assertThat(SqlOperation.of("/*+ INDEX(t i) */\n  -- x\n  (SELECT 1)")).isEqualTo(SqlOperation.SELECT);
    }

    @Test
    void seesThroughCommonTableExpressions() {
        assertThat(SqlOperation.of("WITH a AS (SELECT 1) SELECT * FROM a")).isEqualTo(SqlOperation.SELECT);
        assertThat(SqlOperation.of("with recursive r(n) as (select 1 union all select n+1 from r where n < 5) "
                + "select n from r")).isEqualTo(SqlOperation.SELECT);
        assertThat(SqlOperation.of("WITH moved AS (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM moved"))
                .isEqualTo(SqlOperation.INSERT);
        assertThat(SqlOperation.of("WITH a AS (SELECT ')' AS x), \"b)\" AS MATERIALIZED (SELECT 2) "
                + "UPDATE t SET x = 1")).isEqualTo(SqlOperation.UPDATE);
        assertThat(SqlOperation.of("WITH a AS NOT MATERIALIZED (SELECT $$ ) $$) DELETE FROM t"))
                .isEqualTo(SqlOperation.DELETE);
        assertThat(SqlOperation.of("WITH a AS (SELECT 1 -- )\n) SELECT 1")).isEqualTo(SqlOperation.SELECT);
        assertThat(SqlOperation.of("WITH a AS (SELECT 1")).isEqualTo(SqlOperation.OTHER);
        assertThat(SqlOperation.of("WITH")).isEqualTo(SqlOperation.OTHER);
    }

    @Test
    void aQuotedLeadingKeywordIsNotAVerb() {
        assertThat(SqlOperation.of("'SELECT' FROM t")).isEqualTo(SqlOperation.OTHER);
    }

    @Test
    void quotedKeywordsInsideTheStatementDoNotMatter() {
        assertThat(SqlOperation.of("SELECT \"delete\", 'drop table' FROM \"update\"")).isEqualTo(SqlOperation.SELECT);
    }

    @Test
    void injectionStylesAndHugeStatementsYieldOnlyTheVerb() {
        assertThat(SqlOperation.of("SELECT * FROM users WHERE name = '' OR 1=1; DROP TABLE users; --'"))
                .isEqualTo(SqlOperation.SELECT);
        String huge = "INSERT INTO t VALUES " + "(1, 'x'),".repeat(120_000) + "(2, 'y')";
        assertThat(huge.length()).isGreaterThan(1_000_000);
        assertThat(SqlOperation.of(huge)).isEqualTo(SqlOperation.INSERT);
        assertThat(SqlOperation.of("(".repeat(1_000_000))).isEqualTo(SqlOperation.OTHER);
        assertThat(SqlOperation.of(null)).isEqualTo(SqlOperation.OTHER);
    }
}
