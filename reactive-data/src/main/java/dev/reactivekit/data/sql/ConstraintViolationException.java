package dev.reactivekit.data.sql;

/**
 * A statement broke a constraint: {@link #kind()} says which kind, the same on PostgreSQL, MariaDB and SQLite,
 * {@link #constraint()} names it, and {@link #sqlState()} is in SQLSTATE class 23 on every backend (PostgreSQL's
 * and SQLite's are the specific codes, {@code 23505} for a unique violation; MariaDB reports {@code 23000}).
 */
public final class ConstraintViolationException extends SqlException {

    private static final long serialVersionUID = 1L;

    /** The kinds of constraint. */
    public enum Kind { UNIQUE, FOREIGN_KEY, NOT_NULL, CHECK, OTHER }

    private final String constraint;
    private final Kind kind;

    ConstraintViolationException(String message, String sqlState, String constraint, Kind kind, Throwable cause) {
        super(message, sqlState, cause);
        this.constraint = constraint;
        this.kind = kind;
    }

    /** The constraint's name, for example {@code "users_email_key"}; {@code null} if the server did not say. */
    public String constraint() {
        return constraint;
    }

    /** Which kind of constraint was violated. */
    public Kind kind() {
        return kind;
    }
}
