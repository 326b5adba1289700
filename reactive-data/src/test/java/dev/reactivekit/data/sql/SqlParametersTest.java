package dev.reactivekit.data.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Finding {@code $n} markers, and rewriting them for drivers that take {@code ?}. */
class SqlParametersTest {

    @Test
    void markersInsideLiteralsCommentsAndDollarQuotesAreNotParameters() {
        assertThat(SqlParameters.count("SELECT '$1', \"$2\", $3 -- $4\n /* $5 */ , $tag$ $6 $tag$, $$ $7 $$")).isEqualTo(3);
        assertThat(SqlParameters.count("SELECT 'it''s $9', $1")).isEqualTo(1);
    }

    @Test
    void mariaDbGetsQuestionMarksBoundInOrderOfAppearance() {
        SqlParameters.Prepared prepared = SqlParameters.prepare(
                "SELECT * FROM t WHERE a = $2 AND b = 'it\\'s $1' AND c = $1 AND `d$3` = $2", Dialect.MARIADB);
        assertThat(prepared.sql()).isEqualTo("SELECT * FROM t WHERE a = ? AND b = 'it\\'s $1' AND c = ? AND `d$3` = ?");
        assertThat(prepared.order()).containsExactly(1, 0, 1);
        assertThat(prepared.expected()).isEqualTo(2);
    }

    @Test
    void sqliteGetsQuestionMarksAndABackslashIsJustACharacter() {
        SqlParameters.Prepared prepared = SqlParameters.prepare(
                "SELECT 'a\\', $2, 'it''s $3', `c$4`, $1", Dialect.SQLITE);
        assertThat(prepared.sql()).isEqualTo("SELECT 'a\\', ?, 'it''s $3', `c$4`, ?");
        assertThat(prepared.order()).containsExactly(1, 0);
    }

    @Test
    void postgresqlKeepsTheSqlAsItIs() {
        SqlParameters.Prepared prepared = SqlParameters.prepare("SELECT $2, $1", Dialect.POSTGRESQL);
        assertThat(prepared.sql()).isEqualTo("SELECT $2, $1");
        assertThat(prepared.order()).containsExactly(0, 1);
    }

    @Test
    void plainSelectsAreToldFromEverythingElse() {
        assertThat(SqlSession.isSelect("SELECT 1")).isTrue();
        assertThat(SqlSession.isSelect("  -- note\n /* more */ (select x FROM t)")).isTrue();
        assertThat(SqlSession.isSelect("select")).isTrue();
        assertThat(SqlSession.isSelect("SELECTED")).isFalse();
        assertThat(SqlSession.isSelect("WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x")).isFalse();
        assertThat(SqlSession.isSelect("INSERT INTO t SELECT 1")).isFalse();
        assertThat(SqlSession.isSelect("/* SELECT */ UPDATE t SET a = 1")).isFalse();
    }

    @Test
    void parametersStartAtOne() {
        assertThatThrownBy(() -> SqlParameters.count("SELECT $0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("numbered from $1");
    }
}
