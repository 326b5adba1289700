package dev.reactivekit.data.sql;

import io.r2dbc.spi.Statement;

/** Positional parameters written the asyncpg way ({@code $1, $2}): counted, checked and bound, never spliced. */
final class SqlParameters {

    private SqlParameters() {
    }

    /**
     * The highest {@code $n} in {@code sql}, outside string literals, quoted identifiers, comments and
     * dollar-quoted bodies.
     */
    static int count(String sql) {
        int highest = 0;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                i = skipQuoted(sql, i, c);
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
                    highest = Math.max(highest, Integer.parseInt(sql.substring(i + 1, j)));
                    i = j;
                } else {
                    i = skipDollarQuoted(sql, i);
                }
            } else {
                i++;
            }
        }
        return highest;
    }

    /** Binds {@code args} to {@code $1..$n}; a count or type that does not fit fails naming the parameter. */
    static void bind(Statement statement, String sql, Object[] args) {
        int expected = count(sql);
        if (expected != args.length) {
            throw new IllegalArgumentException("SQL " + SqlErrors.describe(sql) + " takes " + expected
                    + " parameter(s) ($1.." + "$" + expected + ") but " + args.length + " value(s) were given");
        }
        for (int i = 0; i < args.length; i++) {
            Object value = args[i];
            try {
                if (value == null) {
                    throw new IllegalArgumentException("a bare null has no SQL type: pass SqlNull.of(Type.class)");
                } else if (value instanceof SqlNull typed) {
                    statement.bindNull(i, typed.type());
                } else {
                    statement.bind(i, value);
                }
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                throw new IllegalArgumentException("parameter $" + (i + 1) + " of SQL " + SqlErrors.describe(sql)
                        + ": " + (value == null ? "" : "cannot bind a " + value.getClass().getName() + ": ")
                        + e.getMessage(), e);
            }
        }
    }

    private static int skipQuoted(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
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
