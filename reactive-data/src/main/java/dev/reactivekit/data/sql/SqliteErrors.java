package dev.reactivekit.data.sql;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * sqlite-jdbc's {@link SQLException}s as the R2DBC exceptions {@link SqlErrors} reads, with the SQLSTATE class
 * PostgreSQL would report (SQLite has none) so that callers see the same typed errors on every backend.
 */
final class SqliteErrors {

    /** {@code UNIQUE constraint failed: items.name, items.qty} (or CHECK ... failed: name). */
    private static final Pattern FAILED = Pattern.compile("(\\w+(?: KEY)?) constraint failed: ([^)\\]]+)");
    /** A named table constraint in a {@code CREATE TABLE}: {@code CONSTRAINT name UNIQUE (a, b)}. */
    private static final Pattern NAMED = Pattern.compile(
            "(?i)CONSTRAINT\\s+[\"`\\[]?(\\w+)[\"`\\]]?\\s+(?:UNIQUE|PRIMARY\\s+KEY)\\s*\\(([^)]*)\\)");

    private SqliteErrors() {
    }

    /**
     * {@code error} as an R2DBC exception. {@code jdbc} (the connection it happened on, on its own thread) is
     * used to find the name of a violated UNIQUE or PRIMARY KEY constraint, which SQLite's message leaves out;
     * {@code timedOut} says an interrupt came from the statement timeout.
     */
    static R2dbcException translate(SQLException error, Connection jdbc, boolean timedOut) {
        SQLiteErrorCode code = error instanceof SQLiteException sqlite ? sqlite.getResultCode() : null;
        String name = code == null ? "" : code.name();
        String message = error.getMessage();
        int vendor = code == null ? error.getErrorCode() : code.code;
        if (name.startsWith("SQLITE_CONSTRAINT")) {
            return new ConstraintError(message, constraintState(name), vendor, error,
                    constraintName(message, jdbc));
        }
        if (name.startsWith("SQLITE_INTERRUPT")) {
            return timedOut
                    ? new R2dbcTimeoutException("canceling statement due to statement timeout (" + message + ")",
                            "57014", vendor, error)
                    : new R2dbcNonTransientResourceException("the statement was interrupted (" + message + ")",
                            "57014", vendor, error);
        }
        if (name.startsWith("SQLITE_BUSY") || name.startsWith("SQLITE_LOCKED")) {
            // Another process held the lock past the busy timeout: PostgreSQL's lock_not_available.
            return new R2dbcTimeoutException(message, "55P03", vendor, error);
        }
        if (name.startsWith("SQLITE_CANTOPEN") || name.startsWith("SQLITE_NOTADB") || name.startsWith("SQLITE_IOERR")
                || name.startsWith("SQLITE_CORRUPT") || name.startsWith("SQLITE_FULL")
                || name.startsWith("SQLITE_MISUSE")) {
            return new R2dbcNonTransientResourceException(message, "58030", vendor, error);
        }
        if (name.equals("SQLITE_ERROR")) {
            // Syntax errors, unknown tables and columns.
            return new R2dbcBadGrammarException(message, "42000", vendor, error);
        }
        return new Other(message, error.getSQLState(), vendor, error);
    }

    private static String constraintState(String code) {
        return switch (code) {
            case "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY" -> "23505";
            case "SQLITE_CONSTRAINT_NOTNULL" -> "23502";
            case "SQLITE_CONSTRAINT_FOREIGNKEY" -> "23503";
            case "SQLITE_CONSTRAINT_CHECK" -> "23514";
            default -> "23000";
        };
    }

    /**
     * The violated constraint: for UNIQUE and PRIMARY KEY, the name the table's {@code CREATE TABLE} gave it
     * when it named one ({@code CONSTRAINT items_name_key UNIQUE (name)}), otherwise the columns SQLite names
     * ({@code items.name}); for CHECK, its name; for FOREIGN KEY, nothing (SQLite does not say which).
     */
    static String constraintName(String message, Connection jdbc) {
        Matcher failed = FAILED.matcher(message == null ? "" : message);
        if (!failed.find()) {
            return null;
        }
        String kind = failed.group(1).toUpperCase(Locale.ROOT);
        String detail = failed.group(2).strip();
        if (!kind.equals("UNIQUE") && !kind.equals("PRIMARY KEY")) {
            return detail;
        }
        List<String> qualified = Arrays.stream(detail.split(",")).map(String::strip).toList();
        String table = qualified.get(0).contains(".") ? qualified.get(0).substring(0, qualified.get(0).indexOf('.')) : null;
        if (table == null || jdbc == null) {
            return detail;
        }
        List<String> columns = qualified.stream().map(c -> c.substring(c.indexOf('.') + 1).toLowerCase(Locale.ROOT))
                .toList();
        try (PreparedStatement ps = jdbc.prepareStatement("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getString(1) != null) {
                    Matcher named = NAMED.matcher(rs.getString(1));
                    while (named.find()) {
                        List<String> declared = Arrays.stream(named.group(2).split(","))
                                .map(c -> c.strip().replaceAll("[\"`\\[\\]]", "").toLowerCase(Locale.ROOT))
                                .toList();
                        if (declared.equals(columns)) {
                            return named.group(1);
                        }
                    }
                }
            }
        } catch (SQLException lookupFailed) {
            // Keep SQLite's own description.
        }
        return detail;
    }

    /** A constraint violation carrying the constraint's name for {@link SqlErrors}. */
    static final class ConstraintError extends R2dbcDataIntegrityViolationException {

        private final String constraint;

        ConstraintError(String reason, String sqlState, int errorCode, Throwable cause, String constraint) {
            super(reason, sqlState, errorCode, cause);
            this.constraint = constraint;
        }

        String constraint() {
            return constraint;
        }
    }

    /** Any other SQLite error. */
    static final class Other extends R2dbcException {

        Other(String reason, String sqlState, int errorCode, Throwable cause) {
            super(reason, sqlState, errorCode, cause);
        }
    }
}
