package dev.reactivekit.data.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** COPY's text format, and which INSERTs may run as a COPY. */
class CopyTextTest {

    @Test
    void aPlainInsertBecomesACopy() {
        assertThat(CopyText.copyFor("INSERT INTO users (name, email) VALUES ($1, $2)"))
                .isEqualTo("COPY users (name, email) FROM STDIN");
        assertThat(CopyText.copyFor("insert into app.\"Users\"(id,name) values($1,$2);"))
                .isEqualTo("COPY app.\"Users\" (id,name) FROM STDIN");
    }

    @Test
    void anythingMoreStaysAnInsert() {
        assertThat(CopyText.copyFor("INSERT INTO users VALUES ($1, $2)")).as("no column list").isNull();
        assertThat(CopyText.copyFor("INSERT INTO users (a, b) VALUES ($2, $1)")).as("out of order").isNull();
        assertThat(CopyText.copyFor("INSERT INTO users (a, b) VALUES ($1, now())")).isNull();
        assertThat(CopyText.copyFor("INSERT INTO users (a) VALUES ($1) ON CONFLICT DO NOTHING")).isNull();
        assertThat(CopyText.copyFor("INSERT INTO users (a) VALUES ($1) RETURNING id")).isNull();
        assertThat(CopyText.copyFor("INSERT INTO users (a, b) VALUES ($1)")).isNull();
        assertThat(CopyText.copyFor("UPDATE users SET a = $1")).isNull();
    }

    @Test
    void valuesAreEscapedAsCopyReadsThem() {
        UUID id = UUID.fromString("00000000-0000-0000-0000-000000000001");
        byte[] text = CopyText.encode(List.of(
                new Object[] {"tab\there", "line\nbreak\r", "back\\slash", SqlNull.of(String.class)},
                new Object[] {true, 2.5, id, new byte[] {0, (byte) 0xff}},
                new Object[] {LocalDate.of(2024, 2, 29), 7L, "\\N", ""}), 4, 0, "test");
        assertThat(new String(text, StandardCharsets.UTF_8)).isEqualTo(
                "tab\\there\tline\\nbreak\\r\tback\\\\slash\t\\N\n"
                        + "true\t2.5\t" + id + "\t\\\\x00ff\n"
                        + "2024-02-29\t7\t\\\\N\t\n");
    }

    @Test
    void whatHasNoTextFormIsNamed() {
        assertThat(CopyText.encodable(List.<Object[]>of(new Object[] {"a", 1}))).isTrue();
        assertThat(CopyText.encodable(List.<Object[]>of(new Object[] {"a", new int[] {1}}))).isFalse();
        assertThatThrownBy(() -> CopyText.encode(List.<Object[]>of(new Object[] {1}, new Object[] {new Object()}), 1, 10,
                "COPY t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("COPY t: row 11, value 1: COPY has no text form for a java.lang.Object");
        assertThatThrownBy(() -> CopyText.encode(List.<Object[]>of(new Object[] {1, 2}), 3, 0, "COPY t"))
                .hasMessageContaining("takes 3 value(s) per row but row 0 has 2");
        assertThatThrownBy(() -> CopyText.encode(List.<Object[]>of(new Object[] {null}), 1, 0, "COPY t"))
                .hasMessageContaining("SqlNull.of");
    }
}
