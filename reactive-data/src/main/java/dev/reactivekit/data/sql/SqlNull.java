package dev.reactivekit.data.sql;

import dev.reactivekit.core.internal.Checks;

/**
 * A SQL {@code NULL} parameter of a given type: a bare Java {@code null} says nothing of the column's type, which
 * the driver needs. {@code db.execute("UPDATE users SET email = $1 WHERE id = $2", SqlNull.of(String.class), 7)}
 *
 * @param type the Java type the column maps to ({@code String}, {@code Long}, {@code Instant}, ...)
 */
public record SqlNull(Class<?> type) {

    public SqlNull {
        Checks.notNull(type, "type");
    }

    public static SqlNull of(Class<?> type) {
        return new SqlNull(type);
    }
}
