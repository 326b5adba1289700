package dev.reactivekit.data.sql;

import dev.reactivekit.core.ConfigurationException;
import dev.reactivekit.core.internal.Checks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The statements a {@link Database} (a pooled connection per call) and a {@link Transaction} (its one connection)
 * both run. Parameters are positional, {@code $1, $2, ...} as in asyncpg, always bound, never spliced into the
 * SQL. A wrong parameter count, a parameter numbered below {@code $1} and a bare {@code null} are refused at call
 * time with an {@link IllegalArgumentException} naming the parameter; a value the driver cannot bind fails the
 * statement with a {@link SqlException} (SQLSTATE 22023) naming it. Every method is otherwise lazy: nothing
 * reaches the database before subscription.
 */
public abstract sealed class SqlSession permits Database, Transaction {

    /** Rows encoded into one COPY data message by {@link #copyRecords}. */
    private static final int COPY_ROWS_PER_MESSAGE = 1_000;

    final Duration statementTimeout;
    final Dialect dialect;

    SqlSession(Duration statementTimeout, Dialect dialect) {
        this.statementTimeout = statementTimeout;
        this.dialect = dialect;
    }

    /**
     * Runs {@code work} (the statement {@code sql}) on a connection, released (or kept, in a transaction) when the
     * stream ends, within the caller's deadline, its errors mapped to ours naming {@code sql}; {@code read} says
     * the statement only reads (a plain {@code SELECT}): a SQLite database runs it on a reader, and a policy
     * may retry it.
     */
    abstract <T> Flux<T> withConnection(boolean read, String sql, Function<Connection, Publisher<T>> work);

    /** What every statement sent is subscribed through: a transaction's own gate, else {@link StatementGate#OPEN}. */
    StatementGate gate() {
        return StatementGate.OPEN;
    }

    /** {@code work} on {@code connection} within the caller's deadline, its errors mapped naming {@code sql}. */
    <T> Flux<T> statement(Connection connection, String sql, Function<Connection, Publisher<T>> work) {
        return Flux.deferContextual(ctx -> StatementDeadline.run(ctx, connection, statementTimeout, work, gate()))
                .onErrorMap(e -> SqlErrors.map(e, sql, statementTimeout));
    }

    /** The rows of a query (asyncpg {@code fetch}), streamed with backpressure. */
    public Flux<Row> query(String sql, Object... args) {
        return query(sql, Function.identity(), args);
    }

    /** The rows of a query mapped by {@code mapper}, for example to records. */
    public <T> Flux<T> query(String sql, Function<Row, T> mapper, Object... args) {
        Checks.notNull(mapper, "mapper");
        return run(sql, args, isSelect(sql), result -> result.map((row, metadata) -> mapper.apply(copy(row, metadata))));
    }

    /**
     * The rows of a query as records of {@code type}, by column name ({@link Row#as}):
     * {@code db.query("SELECT id, name, created_at FROM users", User.class)} for
     * {@code record User(long id, String name, OffsetDateTime createdAt)}. A row that does not fit fails the
     * {@code Flux} with a {@link RowMappingException} naming the component and the columns.
     */
    public <R extends Record> Flux<R> query(String sql, Class<R> type, Object... args) {
        Checks.notNull(type, "type");
        RecordMapper<R> mapper = RecordMapper.of(type);
        return query(sql, mapper::map, args);
    }

    /** The first row as a record of {@code type} ({@link #queryOne(String, Object...)}, {@link Row#as}). */
    public <R extends Record> Mono<R> queryOne(String sql, Class<R> type, Object... args) {
        return query(sql, type, args).reduce((first, later) -> first);
    }

    /**
     * The first row (asyncpg {@code fetchrow}); empty when there is none. Further rows are read and dropped
     * (not cancelled: a cancelled statement costs its connection), so write {@code LIMIT 1} when there are many.
     */
    public Mono<Row> queryOne(String sql, Object... args) {
        return query(sql, args).reduce((first, later) -> first);
    }

    /**
     * Exactly one row or none; more than one fails with a {@link SqlException} (SQLSTATE 21000, cardinality
     * violation) naming the SQL. Reads every row (keeping two), like {@link #queryOne}.
     */
    public Mono<Row> querySingle(String sql, Object... args) {
        return query(sql, args).collect(() -> new ArrayList<Row>(2), (rows, row) -> {
            if (rows.size() < 2) {
                rows.add(row);
            }
        }).flatMap(rows -> {
            if (rows.size() > 1) {
                return Mono.error(new SqlException("SQL " + SqlErrors.describe(sql)
                        + " returned more than one row (SQLSTATE 21000)", "21000", null));
            }
            return Mono.justOrEmpty(rows.isEmpty() ? null : rows.get(0));
        });
    }

    /** Runs an INSERT, UPDATE, DELETE or DDL statement (asyncpg {@code execute}); emits the rows affected. */
    public Mono<Long> execute(String sql, Object... args) {
        return run(sql, args, false, Result::getRowsUpdated).reduce(0L, Long::sum);
    }

    /** An INSERT ... RETURNING (or UPDATE ... RETURNING): the row it returned. */
    public Mono<Row> insertReturning(String sql, Object... args) {
        return querySingle(sql, args);
    }

    /**
     * Runs {@code sql} once per parameter row on one connection; emits the rows affected. An
     * {@code INSERT ... VALUES (...)} runs as multi-row statements ({@link MultiRowInsert}); anything else as the
     * driver's batch.
     */
    Mono<Long> executeBatch(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return Mono.just(0L);
        }
        MultiRowInsert multi = MultiRowInsert.of(sql);
        if (multi != null) {
            int perStatement = multi.rowsPerStatement(rows.size(), dialect.maxParameters);
            return Flux.range(0, (rows.size() + perStatement - 1) / perStatement)
                    .concatMap(part -> {
                        List<Object[]> slice = rows.subList(part * perStatement,
                                Math.min(rows.size(), (part + 1) * perStatement));
                        return Mono.defer(() -> execute(multi.sql(slice.size()), multi.flatten(slice, sql)));
                    })
                    .reduce(0L, Long::sum);
        }
        SqlParameters.Prepared prepared = SqlParameters.prepare(sql, dialect);
        rows.forEach(row -> SqlParameters.check(sql, prepared, row));
        return withConnection(false, sql, connection -> {
            Statement statement = connection.createStatement(prepared.sql());
            for (int i = 0; i < rows.size(); i++) {
                if (i > 0) {
                    statement.add();
                }
                SqlParameters.bind(statement, sql, prepared, rows.get(i));
            }
            return Flux.from(statement.execute()).concatMap(Result::getRowsUpdated);
        }).reduce(0L, Long::sum);
    }

    /**
     * Loads {@code records} into {@code table}'s {@code columns} with PostgreSQL's {@code COPY ... FROM STDIN}
     * (asyncpg's {@code copy_records_to_table}): one statement streaming every record, the fastest way in;
     * emits the rows copied. All or nothing, like any one statement. Table and column names are quoted as
     * given ({@code "schema.table"} names a table in a schema). Values: strings, numbers, booleans, UUIDs,
     * {@code java.time} values, {@code byte[]} (bytea), {@code Json} and {@link SqlNull}; another type, or a
     * record of the wrong length, fails naming the record. PostgreSQL only: elsewhere use {@link Database#batch},
     * which also runs as COPY on PostgreSQL when its statement is a plain {@code INSERT ... VALUES ($1, ...)}.
     */
    public Mono<Long> copyRecords(String table, List<String> columns, Publisher<Object[]> records) {
        Checks.notNull(table, "table");
        Checks.notNull(columns, "columns");
        Checks.notNull(records, "records");
        Checks.isTrue(!columns.isEmpty(), () -> "copyRecords needs at least one column");
        if (dialect != Dialect.POSTGRESQL) {
            return Mono.error(new ConfigurationException("COPY is PostgreSQL's; use batch(...) on "
                    + dialect.scheme, null));
        }
        String copy = CopyText.copyInto(table, columns);
        return copy(copy, Flux.from(records).buffer(COPY_ROWS_PER_MESSAGE), columns.size(), copy);
    }

    /** {@code COPY ... FROM STDIN} of {@code chunks}, a data message per chunk, on one connection. */
    Mono<Long> copy(String copySql, Flux<List<Object[]>> chunks, int width, String what) {
        return withConnection(false, copySql, connection -> {
            AtomicLong copied = new AtomicLong();
            // The driver keeps reading the data after its caller cancelled: fail the data instead, which ends
            // the COPY on the server (CopyFail) with nothing loaded.
            AtomicBoolean cancelled = new AtomicBoolean();
            Flux<ByteBuf> data = chunks.map(chunk -> {
                if (cancelled.get()) {
                    throw new CancellationException("the COPY was cancelled");
                }
                return Unpooled.wrappedBuffer(CopyText.encode(chunk, width, copied.getAndAdd(chunk.size()), what));
            });
            return ((PostgresqlConnection) Database.real(connection)).copyIn(copySql, data)
                    .doOnCancel(() -> cancelled.set(true));
        }).reduce(0L, Long::sum);
    }

    private <T> Flux<T> run(String sql, Object[] args, boolean select, Function<Result, Publisher<T>> read) {
        Checks.notNull(sql, "sql");
        Checks.notNull(args, "args");
        Object[] values = args.clone();
        SqlParameters.Prepared prepared = SqlParameters.prepare(sql, dialect);
        SqlParameters.check(sql, prepared, values);
        return withConnection(select, sql, connection -> {
            Statement statement = connection.createStatement(prepared.sql());
            SqlParameters.bind(statement, sql, prepared, values);
            return Flux.from(statement.execute()).concatMap(read);
        });
    }

    /** Whether {@code sql}'s first word, after blanks and comments, is {@code SELECT}. */
    static boolean isSelect(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        return sql.regionMatches(true, i, "SELECT", 0, 6)
                && (i + 6 == n || !Character.isLetterOrDigit(sql.charAt(i + 6)) && sql.charAt(i + 6) != '_');
    }

    private static Row copy(io.r2dbc.spi.Row row, RowMetadata metadata) {
        var columns = metadata.getColumnMetadatas();
        List<String> names = new ArrayList<>(columns.size());
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            names.add(columns.get(i).getName());
            values[i] = row.get(i);
        }
        return new Row(List.copyOf(names), values);
    }
}
