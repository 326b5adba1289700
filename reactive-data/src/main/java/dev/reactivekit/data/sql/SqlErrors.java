package dev.reactivekit.data.sql;

import dev.reactivekit.core.OperationTimeoutException;
import dev.reactivekit.core.ReactiveKitException;
import io.r2dbc.postgresql.api.PostgresqlException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns driver errors into ReactiveKit's typed ones, naming the statement (never its parameter values). */
final class SqlErrors {

    /** Statements longer than this are cut in messages. */
    private static final int MAX_SQL_CHARS = 200;
    private static final Pattern MARIADB_KEY = Pattern.compile("for key '(?:[^'.]+\\.)?([^']+)'");
    private static final Pattern MARIADB_FOREIGN_KEY = Pattern.compile("CONSTRAINT `([^`]+)`");

    private SqlErrors() {
    }

    static Throwable map(Throwable error, String sql, Duration statementTimeout) {
        if (error instanceof ReactiveKitException || error instanceof IllegalArgumentException) {
            return error;
        }
        String statement = describe(sql);
        if (error instanceof R2dbcException r2dbc) {
            String state = r2dbc.getSqlState();
            String message = "SQL " + statement + " failed: " + r2dbc.getMessage()
                    + (state == null ? "" : " (SQLSTATE " + state + ")");
            String text = String.valueOf(r2dbc.getMessage());
            if (statementTimeout != null && (("57014".equals(state) && text.contains("statement timeout"))
                    || text.contains("max_statement_time"))) {
                return new OperationTimeoutException("SQL " + statement, statementTimeout, error);
            }
            if (error instanceof R2dbcDataIntegrityViolationException || (state != null && state.startsWith("23"))) {
                String constraint = error instanceof PostgresqlException pg
                        ? pg.getErrorDetails().getConstraintName().orElse(null)
                        : error instanceof SqliteErrors.ConstraintError sqlite ? sqlite.constraint()
                        : mariaDbConstraint(text);
                return new ConstraintViolationException(message + (constraint == null ? "" : " [constraint "
                        + constraint + "]"), state, constraint, error);
            }
            if (isUnavailable(r2dbc, state)) {
                return new SqlUnavailableException(message, error);
            }
            return new SqlException(message, state, error);
        }
        if (error instanceof IOException || error instanceof ClosedChannelException
                || error.getClass().getName().endsWith("PrematureCloseException")) {
            return new SqlUnavailableException("SQL " + statement + " failed: the connection broke ("
                    + error + ")", error);
        }
        return error;
    }

    /**
     * Connection-level failures: the driver's resource exceptions, SQLSTATE class 08 (connection exception) and
     * 57P01..57P03 (the server shut down, crashed or cannot connect now; also a terminated backend).
     */
    private static boolean isUnavailable(R2dbcException error, String state) {
        return error instanceof R2dbcNonTransientResourceException || error instanceof R2dbcTransientResourceException
                || (state != null && (state.startsWith("08") || state.startsWith("57P")));
    }

    /** MariaDB names the violated key in the message: {@code Duplicate entry 'x' for key 'users_email_key'}. */
    private static String mariaDbConstraint(String message) {
        Matcher key = MARIADB_KEY.matcher(message);
        if (key.find()) {
            return key.group(1);
        }
        Matcher foreign = MARIADB_FOREIGN_KEY.matcher(message);
        return foreign.find() ? foreign.group(1) : null;
    }

    /** The statement's first line, cut to a bounded length, for messages. */
    static String describe(String sql) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_SQL_CHARS ? "'" + oneLine + "'" : "'" + oneLine.substring(0, MAX_SQL_CHARS) + "...'";
    }
}
