package dev.reactivekit.data.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Typed access to a row's columns, and the errors that name what did not fit. */
class RowTest {

    private final Row row = new Row(List.of("id", "Name", "big", "price", "note"),
            new Object[] {7, "Ada", 3_000_000_000L, new BigDecimal("2.50"), null});

    @Test
    void numbersConvertWhenTheValueFits() {
        assertThat(row.getLong("id")).isEqualTo(7L);
        assertThat(row.get("price", Double.class)).isEqualTo(2.5);
        assertThat(row.get(0, BigDecimal.class)).isEqualByComparingTo("7");
        assertThat(row.getString("big")).isEqualTo("3000000000");
        assertThat(row.getString("name")).as("names are case-insensitive").isEqualTo("Ada");
        assertThat(row.getInt("note")).isNull();
        assertThat(row.toMap()).containsEntry("Name", "Ada").containsKey("note");
    }

    @Test
    void zeroAndOneAreBooleansAndOtherNumbersAreNot() {
        Row flags = new Row(List.of("on", "off", "two"), new Object[] {1, 0L, 2});
        assertThat(flags.getBoolean("on")).isTrue();
        assertThat(flags.getBoolean("off")).isFalse();
        assertThatThrownBy(() -> flags.getBoolean("two")).isInstanceOf(ClassCastException.class)
                .hasMessageContaining("column 'two' holds a java.lang.Integer, not a java.lang.Boolean");
    }

    @Test
    void aValueThatDoesNotFitIsNamed() {
        assertThatThrownBy(() -> row.getInt("big")).isInstanceOf(ClassCastException.class)
                .hasMessage("column 'big' holds 3000000000, which is not a Integer");
        assertThatThrownBy(() -> row.getLong("price")).isInstanceOf(ClassCastException.class)
                .hasMessage("column 'price' holds 2.50, which is not a Long");
        assertThatThrownBy(() -> row.getInt("Name")).isInstanceOf(ClassCastException.class)
                .hasMessage("column 'Name' holds a java.lang.String, not a java.lang.Integer");
        assertThatThrownBy(() -> row.get("missing")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("no column 'missing'");
        assertThatThrownBy(() -> row.get(9)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("column index 9 out of 0..4");
    }
}
