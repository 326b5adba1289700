package dev.reactivekit.data.sql;

import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Type;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The outcome of one SQLite statement: an update count, or rows read from the JDBC {@link ResultSet} on the
 * connection's worker as they are requested (backpressure reaches the cursor). Readable once; the statement is
 * closed when the rows end, fail or are cancelled.
 */
final class SqliteResult implements Result {

    private final Flux<Segment> segments;
    private final AtomicBoolean consumed;

    private SqliteResult(Flux<Segment> segments, AtomicBoolean consumed) {
        this.segments = segments;
        this.consumed = consumed;
    }

    static SqliteResult updated(long count) {
        return new SqliteResult(Flux.just(new Updated(count)), new AtomicBoolean());
    }

    /** Rows of {@code rows}; closes {@code statement} and ends {@code execution} when done with them. */
    static SqliteResult rows(SqliteConnection connection, SqliteConnection.Execution execution,
            PreparedStatement statement, ResultSet rows) throws SQLException {
        Columns columns = Columns.of(rows.getMetaData());
        Flux<Segment> segments = Flux.<Segment>generate(sink -> {
                    try {
                        if (rows.next()) {
                            sink.next(new RowSegment(columns.read(rows)));
                        } else {
                            sink.complete();
                        }
                    } catch (SQLException e) {
                        sink.error(SqliteErrors.translate(e, connection.jdbc(), execution.timedOut()));
                    }
                })
                .subscribeOn(connection.worker())
                .doFinally(signal -> {
                    execution.dispose();
                    try {
                        connection.worker().schedule(() -> close(statement, null));
                    } catch (RejectedExecutionException closedMeanwhile) {
                        // The connection closed, and its statements with it.
                    }
                });
        return new SqliteResult(segments, new AtomicBoolean());
    }

    static void close(PreparedStatement statement, SqliteConnection.Execution execution) {
        if (execution != null) {
            execution.dispose();
        }
        if (statement != null) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // Closing a statement of a closed connection.
            }
        }
    }

    private Flux<Segment> segments() {
        return Flux.defer(() -> consumed.compareAndSet(false, true) ? segments
                : Flux.error(new IllegalStateException("this result was read already")));
    }

    /**
     * The update count; for a result with rows (a {@code SELECT}, an {@code INSERT ... RETURNING}), the rows read,
     * as PostgreSQL reports them.
     */
    @Override
    public Mono<Long> getRowsUpdated() {
        return segments().reduce(0L, (sum, segment) -> segment instanceof UpdateCount count ? sum + count.value()
                : segment instanceof Result.RowSegment ? sum + 1 : sum);
    }

    @Override
    public <T> Flux<T> map(BiFunction<Row, RowMetadata, ? extends T> mapping) {
        return segments().ofType(RowSegment.class).map(segment -> mapping.apply(segment.row(), segment.row().columns));
    }

    @Override
    public SqliteResult filter(Predicate<Segment> filter) {
        return new SqliteResult(segments.filter(filter), consumed);
    }

    @Override
    public <T> Flux<T> flatMap(Function<Segment, ? extends Publisher<? extends T>> mapping) {
        return segments().concatMap(mapping);
    }

    private record Updated(long value) implements UpdateCount {
    }

    private record RowSegment(SqliteRow row) implements Result.RowSegment {
    }

    /** The columns of a result: names and SQLite's declared types. */
    static final class Columns implements RowMetadata {

        private final List<Column> columns;

        private Columns(List<Column> columns) {
            this.columns = columns;
        }

        static Columns of(ResultSetMetaData metadata) throws SQLException {
            List<Column> columns = new ArrayList<>(metadata.getColumnCount());
            for (int i = 1; i <= metadata.getColumnCount(); i++) {
                columns.add(new Column(metadata.getColumnLabel(i), affinity(metadata.getColumnTypeName(i))));
            }
            return new Columns(List.copyOf(columns));
        }

        /** SQLite's type affinity rules (section 3.1 of its datatype page), as R2DBC types. */
        private static Type affinity(String declared) {
            String type = declared == null ? "" : declared.toUpperCase(Locale.ROOT);
            if (type.contains("INT")) {
                return R2dbcType.BIGINT;
            }
            if (type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT")) {
                return R2dbcType.VARCHAR;
            }
            if (type.contains("BLOB")) {
                return R2dbcType.VARBINARY;
            }
            if (type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB")) {
                return R2dbcType.DOUBLE;
            }
            return R2dbcType.NUMERIC;
        }

        SqliteRow read(ResultSet rows) throws SQLException {
            Object[] values = new Object[columns.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = rows.getObject(i + 1);
            }
            return new SqliteRow(this, values);
        }

        int indexOf(String name) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equalsIgnoreCase(name)) {
                    return i;
                }
            }
            throw new NoSuchElementException("no column '" + name + "'");
        }

        @Override
        public Column getColumnMetadata(int index) {
            return columns.get(index);
        }

        @Override
        public Column getColumnMetadata(String name) {
            return columns.get(indexOf(name));
        }

        @Override
        public List<Column> getColumnMetadatas() {
            return columns;
        }
    }

    record Column(String name, Type type) implements ColumnMetadata {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Type getType() {
            return type;
        }
    }

    /**
     * A row as SQLite's storage classes decoded it: {@code Integer} or {@code Long}, {@code Double},
     * {@code String}, {@code byte[]} or {@code null}. {@link SqlSession} reads each value as it is and
     * {@link dev.reactivekit.data.sql.Row} converts; asked for another type, it fails naming the column.
     */
    static final class SqliteRow implements Row {

        private final Columns columns;
        private final Object[] values;

        SqliteRow(Columns columns, Object[] values) {
            this.columns = columns;
            this.values = values;
        }

        @Override
        public RowMetadata getMetadata() {
            return columns;
        }

        @Override
        public <T> T get(int index, Class<T> type) {
            Object value = values[index];
            if (value == null || type.isInstance(value)) {
                return type.cast(value);
            }
            throw new IllegalArgumentException("column '" + columns.getColumnMetadata(index).name() + "' holds a "
                    + value.getClass().getName() + ", not a " + type.getName());
        }

        @Override
        public <T> T get(String name, Class<T> type) {
            return get(columns.indexOf(name), type);
        }
    }
}
