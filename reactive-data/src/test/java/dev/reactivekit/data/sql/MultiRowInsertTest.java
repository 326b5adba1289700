package dev.reactivekit.data.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The multi-row rewrite of batched INSERTs, and where it stays away. */
class MultiRowInsertTest {

    @Test
    void renumbersEachRowsParameters() {
        MultiRowInsert insert = MultiRowInsert.of("INSERT INTO users (name, email) VALUES ($1, $2::text) ON CONFLICT DO NOTHING");
        assertThat(insert).isNotNull();
        assertThat(insert.sql(3)).isEqualTo("INSERT INTO users (name, email) VALUES ($1, $2::text), ($3, $4::text), "
                + "($5, $6::text) ON CONFLICT DO NOTHING");
        assertThat(insert.flatten(List.of(new Object[] {"a", "b"}, new Object[] {"c", "d"}), "sql"))
                .containsExactly("a", "b", "c", "d");
        assertThat(insert.rowsPerStatement(100_000, 65_535)).isEqualTo(65_535 / 2);
    }

    @Test
    void leavesOtherStatementsToTheDriversBatch() {
        assertThat(MultiRowInsert.of("UPDATE users SET name = $1 WHERE id = $2")).isNull();
        assertThat(MultiRowInsert.of("INSERT INTO t (a) VALUES ('$1', $1)")).isNull();
        assertThat(MultiRowInsert.of("INSERT INTO t (a) SELECT $1")).isNull();
        assertThat(MultiRowInsert.of("INSERT INTO t (a) VALUES ($1) RETURNING $2")).isNull();
        assertThat(MultiRowInsert.of("INSERT INTO t (a) VALUES (now())")).isNull();
    }

    @Test
    void aRowOfTheWrongLengthIsNamed() {
        MultiRowInsert insert = MultiRowInsert.of("INSERT INTO t (a, b) VALUES ($1, $2)");
        assertThatThrownBy(() -> insert.flatten(List.of(new Object[] {1, 2}, new Object[] {3}), "INSERT INTO t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1 of the batch has 1");
    }
}
