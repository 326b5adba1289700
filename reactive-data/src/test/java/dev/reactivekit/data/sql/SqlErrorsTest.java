package dev.reactivekit.data.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How statements are named in errors, and what of a server's message reaches one. */
class SqlErrorsTest {

    @Test
    void aStatementIsNamedOnOneLineCutAtTwoHundredCharacters() {
        assertThat(SqlErrors.describe("  SELECT *\n  FROM users\tWHERE id = $1  ")).isEqualTo("'SELECT * FROM users WHERE id = $1'");
        String wide = "SELECT " + "x".repeat(193);   // 200 characters: kept whole
        assertThat(SqlErrors.describe(wide)).isEqualTo("'" + wide + "'");
        String longer = "SELECT " + "y".repeat(300);
        assertThat(SqlErrors.describe(longer)).isEqualTo("'" + longer.substring(0, 200) + "...'");
        String blankAtTheCut = "x".repeat(199) + "   yz";
        assertThat(SqlErrors.describe(blankAtTheCut)).isEqualTo("'" + "x".repeat(199) + " ...'");
    }

    @Test
    void valuesMariaDbQuotesAreRedactedButNamesAreKept() {
        assertThat(SqlErrors.redactValues("Duplicate entry 'ada@example.com' for key 'users_email_key'"))
                .isEqualTo("Duplicate entry '***' for key 'users_email_key'");
        assertThat(SqlErrors.redactValues("Incorrect integer value: 'abc' for column `t`.`n` at row 1"))
                .isEqualTo("Incorrect integer value: '***' for column `t`.`n` at row 1");
        // MariaDB does not escape a quote inside the value: it must not end the redaction early.
        assertThat(SqlErrors.redactValues("Duplicate entry 'it's a 'secret'' for key 'k'"))
                .isEqualTo("Duplicate entry '***' for key 'k'");
        assertThat(SqlErrors.redactValues("Truncated incorrect DOUBLE value: 'x'y'"))
                .isEqualTo("Truncated incorrect DOUBLE value: '***'");
    }

    @Test
    void constraintKindsAreTheSameOnEveryBackend() {
        assertThat(SqlErrors.kindOf("23505", 0)).isEqualTo(ConstraintViolationException.Kind.UNIQUE);
        assertThat(SqlErrors.kindOf("23000", 1062)).as("MariaDB").isEqualTo(ConstraintViolationException.Kind.UNIQUE);
        assertThat(SqlErrors.kindOf("23000", 1452)).isEqualTo(ConstraintViolationException.Kind.FOREIGN_KEY);
        assertThat(SqlErrors.kindOf("23502", 0)).isEqualTo(ConstraintViolationException.Kind.NOT_NULL);
        assertThat(SqlErrors.kindOf("23000", 4025)).isEqualTo(ConstraintViolationException.Kind.CHECK);
        assertThat(SqlErrors.kindOf("23000", 0)).isEqualTo(ConstraintViolationException.Kind.OTHER);
    }
}
