package dev.reactivekit.data.sql;

import dev.reactivekit.core.Deadline;
import io.r2dbc.spi.Connection;
import java.time.Duration;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * The caller's {@link Deadline} as a server-side statement timeout: the server stops the statement in time and
 * the connection stays clean, where a client-side cancel at the deadline would cost the connection (a cancelled
 * statement cannot be trusted to have ended). The server stops it {@link #margin} before the deadline, so that
 * its error reaches the caller before the deadline's own timer fires; the error is the deadline's
 * {@link dev.reactivekit.core.DeadlineExceededException}. The connection's own statement timeout is put back
 * after the statement; a connection whose timeout could not be put back is closed.
 */
final class StatementDeadline {

    /** How long before the deadline the server stops a statement at most (half the time left when shorter). */
    static final Duration MARGIN = Duration.ofMillis(100);

    private StatementDeadline() {
    }

    /**
     * Runs {@code work} on {@code connection} within the deadline in {@code context}, if any; {@code configured}
     * is the connection's own statement timeout ({@code null}: none). Every statement sent goes through
     * {@code gate}.
     */
    static <T> Flux<T> run(ContextView context, Connection connection, Duration configured,
            Function<Connection, Publisher<T>> work, StatementGate gate) {
        Deadline deadline = Deadline.from(context).orElse(null);
        if (deadline == null) {
            return gate.admit(() -> work.apply(connection));
        }
        Duration left = deadline.remaining(Schedulers.parallel());
        if (left.isNegative() || left.isZero()) {
            return Flux.error(deadline.exceeded());
        }
        Duration limit = left.minus(margin(left));
        if (configured != null && configured.compareTo(limit) <= 0) {
            return gate.admit(() -> work.apply(connection));   // the connection's own limit comes first
        }
        Duration restore = configured == null ? Duration.ZERO : configured;
        return Flux.usingWhen(gate.admit(() -> connection.setStatementTimeout(limit)).then(Mono.just(connection)),
                        c -> gate.admit(() -> work.apply(c)),
                        c -> reset(c, restore, gate),
                        (c, error) -> reset(c, restore, gate),
                        c -> Mono.empty())   // a cancelled statement's connection is closed anyway
                .onErrorMap(SqlErrors::isStatementTimeout, e -> deadline.exceeded());
    }

    /** {@code MARGIN}, or half of what is left when that is less than twice it. */
    static Duration margin(Duration left) {
        return left.compareTo(MARGIN.multipliedBy(2)) < 0 ? left.dividedBy(2) : MARGIN;
    }

    /**
     * Puts the connection's own timeout back. Refused by a transaction's gate only when the transaction is ending
     * at that moment, which undoes the SET anyway (PostgreSQL rolls SET back; elsewhere the connection is closed).
     */
    private static Mono<Void> reset(Connection connection, Duration restore, StatementGate gate) {
        return gate.admit(() -> connection.setStatementTimeout(restore)).then()
                .onErrorResume(StatementGate.TransactionEndedException.class, e -> Mono.empty())
                .onErrorResume(e -> Mono.from(Database.real(connection).close()).onErrorResume(x -> Mono.empty()));
    }
}
