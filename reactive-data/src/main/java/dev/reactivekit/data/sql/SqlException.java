package dev.reactivekit.data.sql;

import dev.reactivekit.core.PermanentException;

/**
 * The database refused a statement: a syntax error, an unknown table, a type mismatch, a failed constraint
 * ({@link ConstraintViolationException}). Permanent: the same statement fails again. The message names the
 * statement (its first line, cut at 200 characters; never the parameter values) and the server's message.
 */
public class SqlException extends PermanentException {

    private static final long serialVersionUID = 1L;

    private final String sqlState;

    SqlException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    /** The SQLSTATE code, for example {@code "42P01"} (undefined table); {@code null} if the driver gave none. */
    public String sqlState() {
        return sqlState;
    }
}
