package dev.reactivekit.data.sql;

import io.r2dbc.postgresql.codec.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rows in PostgreSQL's {@code COPY ... FROM STDIN} text format: values separated by tabs, rows ended by newlines,
 * {@code \N} for NULL, backslash, tab, newline and carriage return escaped. Knows the value types whose text
 * form PostgreSQL reads back as the value: strings, numbers, booleans, UUIDs, {@code java.time} values,
 * {@code byte[]} (bytea's hex form), {@link Json} and {@link SqlNull}.
 */
final class CopyText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** {@code INSERT INTO table (columns) VALUES ($1, ..., $n)} and nothing more: what COPY can do instead. */
    private static final Pattern PLAIN_INSERT = Pattern.compile(
            "(?is)^\\s*INSERT\\s+INTO\\s+((?:\"[^\"]+\"|[\\w$]+)(?:\\.(?:\"[^\"]+\"|[\\w$]+))?)\\s*\\(([^()'\"]*)\\)\\s*"
                    + "VALUES\\s*\\(([\\s$\\d,]*)\\)\\s*;?\\s*$");
    private static final Pattern IN_ORDER = Pattern.compile("\\s*\\$(\\d+)\\s*");

    private CopyText() {
    }

    /**
     * The {@code COPY ... FROM STDIN} that does what {@code insert} does for many rows, or {@code null} when it is
     * not a plain {@code INSERT INTO t (c1, ..., cn) VALUES ($1, ..., $n)} (a tail such as {@code ON CONFLICT} or
     * {@code RETURNING}, expressions or literals in the tuple, no column list).
     */
    static String copyFor(String insert) {
        Matcher plain = PLAIN_INSERT.matcher(insert);
        if (!plain.matches()) {
            return null;
        }
        String[] columns = plain.group(2).split(",");
        String[] markers = plain.group(3).split(",", -1);
        if (columns.length != markers.length) {
            return null;
        }
        for (int i = 0; i < markers.length; i++) {
            Matcher marker = IN_ORDER.matcher(markers[i]);
            if (!marker.matches() || Integer.parseInt(marker.group(1)) != i + 1) {
                return null;
            }
        }
        return "COPY " + plain.group(1) + " (" + plain.group(2).strip() + ") FROM STDIN";
    }

    /** {@code COPY table (columns) FROM STDIN}, every name quoted; {@code table} may be {@code schema.table}. */
    static String copyInto(String table, List<String> columns) {
        StringBuilder sql = new StringBuilder("COPY ");
        String[] parts = table.split("\\.", 2);
        sql.append(Database.quoteIdentifier(parts[0]));
        if (parts.length > 1) {
            sql.append('.').append(Database.quoteIdentifier(parts[1]));
        }
        sql.append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(Database.quoteIdentifier(columns.get(i)));
        }
        return sql.append(") FROM STDIN").toString();
    }

    /** Whether every value of every row has a text form here. */
    static boolean encodable(List<Object[]> rows) {
        for (Object[] row : rows) {
            for (Object value : row) {
                if (!encodable(value)) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean encodable(Object value) {
        return value instanceof SqlNull || value instanceof CharSequence || value instanceof Json
                || value instanceof byte[] || value instanceof ByteBuffer || value instanceof ZonedDateTime
                || printable(value);
    }

    /** Values whose {@code toString()} is the text PostgreSQL reads. */
    private static boolean printable(Object value) {
        return value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte || value instanceof BigInteger
                || value instanceof BigDecimal || value instanceof Double || value instanceof Float
                || value instanceof UUID || value instanceof LocalDate || value instanceof LocalDateTime
                || value instanceof LocalTime || value instanceof OffsetDateTime || value instanceof OffsetTime
                || value instanceof Instant;
    }

    /**
     * {@code rows} ({@code width} values each) as COPY text, UTF-8. A row of another width, or a value with no
     * text form, fails naming it ({@code first} is the index of {@code rows.get(0)} in the whole load).
     */
    static byte[] encode(List<Object[]> rows, int width, long first, String what) {
        StringBuilder text = new StringBuilder(rows.size() * width * 12);
        for (int r = 0; r < rows.size(); r++) {
            Object[] row = rows.get(r);
            if (row.length != width) {
                throw new IllegalArgumentException(what + " takes " + width + " value(s) per row but row " + (first + r)
                        + " has " + row.length);
            }
            for (int c = 0; c < width; c++) {
                if (c > 0) {
                    text.append('\t');
                }
                append(text, row[c], what, first + r, c);
            }
            text.append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void append(StringBuilder text, Object value, String what, long row, int column) {
        if (value == null) {
            throw new IllegalArgumentException(what + ": row " + row + ", value " + (column + 1)
                    + ": a bare null has no SQL type: pass SqlNull.of(Type.class)");
        } else if (value instanceof SqlNull) {
            text.append("\\N");
        } else if (printable(value)) {
            text.append(value);
        } else if (value instanceof ZonedDateTime zoned) {
            text.append(zoned.toOffsetDateTime());
        } else if (value instanceof CharSequence chars) {
            escape(text, chars);
        } else if (value instanceof Json json) {
            escape(text, json.asString());
        } else if (value instanceof byte[] bytes) {
            hex(text, ByteBuffer.wrap(bytes));
        } else if (value instanceof ByteBuffer buffer) {
            hex(text, buffer.duplicate());
        } else {
            throw new IllegalArgumentException(what + ": row " + row + ", value " + (column + 1) + ": COPY has no text"
                    + " form for a " + value.getClass().getName());
        }
    }

    private static void escape(StringBuilder text, CharSequence chars) {
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
    }

    /** bytea's hex form {@code \x0a1b}, its backslash escaped for COPY. */
    private static void hex(StringBuilder text, ByteBuffer bytes) {
        text.append("\\\\x");
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            text.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
    }
}
