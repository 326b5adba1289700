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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns driver errors into ReactiveKit's typed ones, naming the statement (never its parameter values). */
final class SqlErrors {

    /** Statements longer than this are cut in messages. */
    private static final int MAX_SQL_CHARS = 200;
    /** Statements whose description is remembered at once, at most. */
    private static final int DESCRIBED_MAX = 512;
    private static final Map<String, String> DESCRIBED = new ConcurrentHashMap<>();
    private static final Pattern MARIADB_KEY = Pattern.compile("for key '(?:[^'.]+\\.)?([^']+)'");
    private static final Pattern MARIADB_FOREIGN_KEY = Pattern.compile("CONSTRAINT `([^`]+)`");
    /**
     * Where MariaDB quotes a value in its messages ({@code Duplicate entry 'ada@example.com' for key ...},
     * {@code Incorrect integer value: 'abc' for column ...}): errors never carry parameter values.
     */
    private static final List<String> MARIADB_VALUE_MARKERS = List.of("entry '", "value: '", "value '");

    private SqlErrors() {
    }

    static Throwable map(Throwable error, String sql, Duration statementTimeout) {
        if (error instanceof ReactiveKitException || error instanceof IllegalArgumentException) {
            return error;
        }
        String statement = describe(sql);
        if (error instanceof R2dbcException r2dbc) {
            String state = r2dbc.getSqlState();
            String text = redactValues(String.valueOf(r2dbc.getMessage()));
            String message = "SQL " + statement + " failed: " + text + (state == null ? "" : " (SQLSTATE " + state + ")");
            if (statementTimeout != null && isStatementTimeout(error)) {
                return new OperationTimeoutException("SQL " + statement, statementTimeout, error);
            }
            if (error instanceof R2dbcDataIntegrityViolationException || (state != null && state.startsWith("23"))) {
                String constraint = error instanceof PostgresqlException pg
                        ? pg.getErrorDetails().getConstraintName().orElse(null)
                        : error instanceof SqliteErrors.ConstraintError sqlite ? sqlite.constraint()
                        : mariaDbConstraint(text);
                return new ConstraintViolationException(message + (constraint == null ? "" : " [constraint "
                        + constraint + "]"), state, constraint, kindOf(state, r2dbc.getErrorCode()), error);
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

    /** Whether {@code error} is the server stopping a statement at its statement timeout. */
    static boolean isStatementTimeout(Throwable error) {
        if (!(error instanceof R2dbcException r2dbc)) {
            return false;
        }
        String text = String.valueOf(r2dbc.getMessage());
        return ("57014".equals(r2dbc.getSqlState()) && text.contains("statement timeout"))
                || text.contains("max_statement_time");
    }

    /**
     * The kind of constraint violated, the same on every backend: from PostgreSQL's (and, as SqliteErrors
     * reports them, SQLite's) SQLSTATE, or from MariaDB's error code where its SQLSTATE is the generic 23000.
     */
    static ConstraintViolationException.Kind kindOf(String state, int vendorCode) {
        String s = state == null ? "" : state;
        if (s.equals("23505") || vendorCode == 1062 || vendorCode == 1586) {
            return ConstraintViolationException.Kind.UNIQUE;
        }
        if (s.equals("23503") || vendorCode == 1451 || vendorCode == 1452 || vendorCode == 1216 || vendorCode == 1217) {
            return ConstraintViolationException.Kind.FOREIGN_KEY;
        }
        if (s.equals("23502") || vendorCode == 1048 || vendorCode == 1364) {
            return ConstraintViolationException.Kind.NOT_NULL;
        }
        if (s.equals("23514") || vendorCode == 3819 || vendorCode == 4025) {
            return ConstraintViolationException.Kind.CHECK;
        }
        return ConstraintViolationException.Kind.OTHER;
    }

    /**
     * MariaDB's messages with the values they quote replaced by {@code '***'}. MariaDB does not escape quotes
     * inside the value, so the value runs to the last {@code "' for "} (or, without one, the last quote).
     */
    static String redactValues(String message) {
        String m = message;
        for (String marker : MARIADB_VALUE_MARKERS) {
            int at = m.indexOf(marker);
            if (at < 0) {
                continue;
            }
            int open = at + marker.length();
            int close = m.lastIndexOf("' for ");
            if (close < open) {
                close = m.lastIndexOf('\'');
            }
            m = close < open ? m.substring(0, open) + "***'" : m.substring(0, open) + "***" + m.substring(close);
        }
        return m;
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

    /**
     * The statement on one line (blanks collapsed), cut to a bounded length, for messages. Runs for every
     * statement (it names the statement's policy), so it avoids regular expressions and copies only what it must.
     */
    static String describe(String sql) {
        String known = DESCRIBED.get(sql);
        if (known != null) {
            return known;
        }
        String described = describeNow(sql);
        // Applications run a few statements many times: remember them, boundedly (forget all when full).
        if (DESCRIBED.size() >= DESCRIBED_MAX) {
            DESCRIBED.clear();
        }
        DESCRIBED.put(sql, described);
        return described;
    }

    private static String describeNow(String sql) {
        int start = 0;
        int end = sql.length();
        while (start < end && Character.isWhitespace(sql.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(sql.charAt(end - 1))) {
            end--;
        }
        StringBuilder b = new StringBuilder(Math.min(end - start, MAX_SQL_CHARS) + 5).append('\'');
        int kept = 0;
        boolean blank = false;
        for (int i = start; i < end; i++) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                blank = true;
                continue;
            }
            int needed = blank ? 2 : 1;
            if (kept + needed > MAX_SQL_CHARS) {
                return b.append(blank && kept < MAX_SQL_CHARS ? " " : "").append("...'").toString();
            }
            if (blank) {
                b.append(' ');
                blank = false;
            }
            b.append(c);
            kept += needed;
        }
        return b.append('\'').toString();
    }
}
