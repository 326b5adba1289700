package dev.reactivekit.data.sql;

/** A statement broke a constraint (unique, foreign key, not null, check): {@link #constraint()} names it. */
public final class ConstraintViolationException extends SqlException {

    private static final long serialVersionUID = 1L;

    private final String constraint;

    public ConstraintViolationException(String message, String sqlState, String constraint, Throwable cause) {
        super(message, sqlState, cause);
        this.constraint = constraint;
    }

    /** The constraint's name, for example {@code "users_email_key"}; {@code null} if the server did not say. */
    public String constraint() {
        return constraint;
    }
}
