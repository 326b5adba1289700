package dev.reactivekit.data.sql;

import io.r2dbc.spi.Statement;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import reactor.core.publisher.Flux;

/**
 * A SQLite statement with {@code ?} markers ({@link SqlParameters} rewrote the {@code $n} ones), bound by
 * 0-based index. Values are checked when bound: SQLite stores text, integers, reals and blobs, so a
 * {@code Boolean} becomes 0 or 1 and {@code java.time} values and {@code UUID}s their ISO text (SQLite's
 * date and time functions read that text); anything else fails naming its type. Several bindings
 * ({@link #add()}) run the one prepared statement once per binding.
 */
final class SqliteStatement implements Statement {

    /** SQL NULL of no particular type (SQLite columns take any value). */
    private static final Object NULL = new Object();

    private final SqliteConnection connection;
    private final String sql;
    private final List<Map<Integer, Object>> bindings = new ArrayList<>();
    private Map<Integer, Object> current = new TreeMap<>();

    SqliteStatement(SqliteConnection connection, String sql) {
        this.connection = connection;
        this.sql = sql;
    }

    @Override
    public SqliteStatement add() {
        bindings.add(current);
        current = new TreeMap<>();
        return this;
    }

    @Override
    public SqliteStatement bind(int index, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("a bare null has no SQL type: use bindNull");
        }
        current.put(index, storable(value));
        return this;
    }

    @Override
    public SqliteStatement bind(String name, Object value) {
        throw new UnsupportedOperationException("SQLite statements here are bound by index, not by name ('" + name
                + "')");
    }

    @Override
    public SqliteStatement bindNull(int index, Class<?> type) {
        current.put(index, NULL);
        return this;
    }

    @Override
    public SqliteStatement bindNull(String name, Class<?> type) {
        return bind(name, NULL);
    }

    /** {@code value} as one of the types SQLite stores, or an {@link IllegalArgumentException} naming its type. */
    static Object storable(Object value) {
        if (value instanceof String || value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof Double || value instanceof Float
                || value instanceof byte[] || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? (Object) big.longValueExact() : new BigDecimal(big);
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        if (value instanceof ZonedDateTime zoned) {
            return zoned.toOffsetDateTime().toString();
        }
        if (value instanceof LocalDate || value instanceof LocalDateTime || value instanceof LocalTime
                || value instanceof OffsetDateTime || value instanceof OffsetTime || value instanceof Instant
                || value instanceof UUID) {
            return value.toString();
        }
        throw new IllegalArgumentException("SQLite stores text, numbers and blobs: pass a String, a number, a"
                + " Boolean, a byte[], a java.time value or a UUID");
    }

    @Override
    public Flux<SqliteResult> execute() {
        List<Map<Integer, Object>> runs = new ArrayList<>(bindings);
        if (runs.isEmpty() || !current.isEmpty()) {
            runs.add(current);
        }
        return connection.call(() -> run(runs)).flatMapIterable(results -> results);
    }

    /** On the connection's worker: prepares once, runs once per binding. */
    private List<SqliteResult> run(List<Map<Integer, Object>> runs) {
        SqliteConnection.Execution execution = connection.start();
        PreparedStatement statement = null;
        boolean handedOver = false;
        try {
            statement = connection.jdbc().prepareStatement(sql);
            if (runs.size() == 1) {
                bind(statement, runs.get(0));
                if (statement.execute()) {
                    // The result now owns the statement and the execution: it closes both when read or dropped.
                    SqliteResult rows = SqliteResult.rows(connection, execution, statement, statement.getResultSet());
                    handedOver = true;
                    return List.of(rows);
                }
                long updated = Math.max(0, statement.getUpdateCount());
                return List.of(SqliteResult.updated(updated));
            }
            List<SqliteResult> results = new ArrayList<>(runs.size());
            for (Map<Integer, Object> binding : runs) {
                statement.clearParameters();
                bind(statement, binding);
                results.add(SqliteResult.updated(Math.max(0, statement.executeUpdate())));
            }
            return results;
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, connection.jdbc(), execution.timedOut());
        } finally {
            if (!handedOver) {
                SqliteResult.close(statement, execution);
            }
        }
    }

    private static void bind(PreparedStatement statement, Map<Integer, Object> binding) throws SQLException {
        for (Map.Entry<Integer, Object> value : binding.entrySet()) {
            if (value.getValue() == NULL) {
                statement.setNull(value.getKey() + 1, Types.NULL);
            } else {
                statement.setObject(value.getKey() + 1, value.getValue());
            }
        }
    }

    @Override
    public String toString() {
        return "SqliteStatement[" + sql + "]";
    }
}
