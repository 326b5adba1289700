package dev.reactivekit.data.sql;

import io.r2dbc.spi.Statement;

/** Positional parameters written the asyncpg way ({@code $1, $2}): counted, checked and bound, never spliced. */
final class SqlParameters {

    private SqlParameters() {
    }

    /** A statement ready for a driver: its SQL and, per marker in order, which {@code $n} (0-based) it binds. */
    record Prepared(String sql, int expected, int[] order) {
    }

    /** The highest {@code $n} in {@code sql} (outside literals, quoted identifiers, comments, dollar quotes). */
    static int count(String sql) {
        return prepare(sql, Dialect.POSTGRESQL).expected();
    }

    /**
     * {@code sql} for {@code dialect}: kept as it is where the driver reads {@code $n}; otherwise each
     * {@code $n} becomes a {@code ?}, bound in order of appearance (so {@code $2 ... $1 ... $1} binds three
     * values).
     */
    static Prepared prepare(String sql, Dialect dialect) {
        StringBuilder rewritten = dialect.dollarMarkers ? null : new StringBuilder(sql.length());
        java.util.List<Integer> order = new java.util.ArrayList<>();
        int highest = 0;
        int copied = 0;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || (c == '`' && dialect.backtickQuotes)) {
                // MariaDB also escapes quotes with a backslash inside literals.
                i = skipQuoted(sql, i, c, dialect.backslashEscapes && c != '`');
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '$') {
                int j = i + 1;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                if (j > i + 1) {
                    int number = Integer.parseInt(sql.substring(i + 1, j));
                    if (number < 1) {
                        throw new IllegalArgumentException("SQL " + SqlErrors.describe(sql)
                                + ": parameters are numbered from $1, found $" + number);
                    }
                    highest = Math.max(highest, number);
                    order.add(number - 1);
                    if (rewritten != null) {
                        rewritten.append(sql, copied, i).append('?');
                        copied = j;
                    }
                    i = j;
                } else {
                    i = dialect.dollarMarkers ? skipDollarQuoted(sql, i) : i + 1;
                }
            } else {
                i++;
            }
        }
        int[] positions;
        if (rewritten == null) {
            positions = new int[highest];
            for (int k = 0; k < highest; k++) {
                positions[k] = k;
            }
            return new Prepared(sql, highest, positions);
        }
        rewritten.append(sql, copied, n);
        positions = order.stream().mapToInt(Integer::intValue).toArray();
        return new Prepared(rewritten.toString(), highest, positions);
    }

    /**
     * Refuses, at call time, a count of {@code args} that does not fit and a bare {@code null}, naming the
     * parameter: an {@link IllegalArgumentException}.
     */
    static void check(String sql, Prepared prepared, Object[] args) {
        if (prepared.expected() != args.length) {
            throw new IllegalArgumentException("SQL " + SqlErrors.describe(sql) + " takes " + prepared.expected()
                    + " parameter(s) ($1.." + "$" + prepared.expected() + ") but " + args.length
                    + " value(s) were given");
        }
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                throw new IllegalArgumentException("parameter $" + (i + 1) + " of SQL " + SqlErrors.describe(sql)
                        + ": a bare null has no SQL type: pass SqlNull.of(Type.class)");
            }
        }
    }

    /**
     * Binds {@code args}, {@link #check checked} already, to the statement's markers; a value the driver cannot
     * bind fails with a {@link SqlException} (SQLSTATE 22023, invalid parameter value) naming the parameter.
     */
    static void bind(Statement statement, String sql, Prepared prepared, Object[] args) {
        int[] order = prepared.order();
        for (int marker = 0; marker < order.length; marker++) {
            int i = order[marker];
            Object value = args[i];
            try {
                if (value instanceof SqlNull typed) {
                    statement.bindNull(marker, typed.type());
                } else {
                    statement.bind(marker, value);
                }
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                throw new SqlException("parameter $" + (i + 1) + " of SQL " + SqlErrors.describe(sql)
                        + ": cannot bind a " + value.getClass().getName() + ": " + e.getMessage(), "22023", e);
            }
        }
    }

    private static int skipQuoted(String sql, int start, char quote, boolean backslashEscapes) {
        int i = start + 1;
        while (i < sql.length()) {
            if (backslashEscapes && sql.charAt(i) == '\\') {
                i += 2;
                continue;
            }
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2; // doubled quote inside the literal
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    /** Skips {@code $tag$ ... $tag$} starting at {@code start}; a lone {@code $} is just skipped. */
    private static int skipDollarQuoted(String sql, int start) {
        int close = sql.indexOf('$', start + 1);
        if (close < 0) {
            return start + 1;
        }
        String tag = sql.substring(start, close + 1);
        for (int k = 1; k < tag.length() - 1; k++) {
            char c = tag.charAt(k);
            if (!(Character.isLetterOrDigit(c) || c == '_')) {
                return start + 1;
            }
        }
        int end = sql.indexOf(tag, close + 1);
        return end < 0 ? sql.length() : end + tag.length();
    }
}
