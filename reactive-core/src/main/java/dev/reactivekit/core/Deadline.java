package dev.reactivekit.core;

import dev.reactivekit.core.internal.Durations;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * A point in time by which a whole operation must be done, carried in the subscriber {@code Context} so that
 * every inner call sees it (asyncio's {@code async with asyncio.timeout(10):} around a block).
 *
 * <pre>{@code
 * Mono<Summary> summary = Deadline.within(crawl(site).then(store()), Duration.ofSeconds(10), "crawl");
 * // inside crawl(), Timeouts.timeout(fetch, Duration.ofSeconds(2), "fetch") waits 2s at most,
 * // and less when the deadline is nearer: it never outlives its caller.
 * }</pre>
 *
 * A deadline set inside another keeps the earlier of the two. {@link Timeouts} and {@link Policy} read it from
 * the context and shorten their own limits to the time left. Time is read from a {@link Scheduler}'s clock
 * ({@link Schedulers#parallel()} unless given), which {@code StepVerifier.withVirtualTime} replaces in tests.
 */
public final class Deadline {

    private final long expiresAtMillis;
    private final Duration budget;
    private final String operation;

    Deadline(long expiresAtMillis, Duration budget, String operation) {
        this.expiresAtMillis = expiresAtMillis;
        this.budget = budget;
        this.operation = operation;
    }

    /** The deadline carried by {@code context}, if any. */
    public static Optional<Deadline> from(ContextView context) {
        return context.getOrEmpty(Deadline.class);
    }

    /** The time left before this deadline on {@code clock}; zero or negative once it has passed. */
    public Duration remaining(Scheduler clock) {
        return Duration.ofMillis(expiresAtMillis - clock.now(TimeUnit.MILLISECONDS));
    }

    /** Whether this deadline has passed on {@code clock}. */
    public boolean isExpired(Scheduler clock) {
        return expiresAtMillis <= clock.now(TimeUnit.MILLISECONDS);
    }

    /** The total time this deadline allowed when it was set. */
    public Duration budget() {
        return budget;
    }

    /** The operation that set this deadline. */
    public String operation() {
        return operation;
    }

    /**
     * The error raised when this deadline expires, naming the operation that set it and its budget; for clients
     * that enforce the deadline themselves (a server-side statement timeout, say).
     */
    public DeadlineExceededException exceeded() {
        return new DeadlineExceededException(operation, budget, null);
    }

    long expiresAtMillis() {
        return expiresAtMillis;
    }

    @Override
    public String toString() {
        return "Deadline[" + operation + ", budget=" + Durations.format(budget) + "]";
    }

    // ------------------------------------------------------------------ operators

    /**
     * {@code source}, bounded by the deadline in its subscriber's context, if any: when the deadline has already
     * passed it fails at once with that deadline's {@link DeadlineExceededException}, without subscribing
     * {@code source} (so nothing is acquired or sent); otherwise it is cancelled when the deadline expires and
     * fails with the same error. Without a deadline in the context, {@code source} runs unbounded. This is how
     * every ReactiveKit client makes the caller's deadline cap the waits it makes on the caller's behalf.
     */
    public static <T> Mono<T> honor(Mono<T> source) {
        return TimeLimit.honor(source, null);
    }

    /** {@link #honor(Mono)} on {@code clock}'s time ({@code null}: {@link Schedulers#parallel()}). */
    public static <T> Mono<T> honor(Mono<T> source, Scheduler clock) {
        return TimeLimit.honor(source, clock);
    }

    /** {@link #honor(Mono)} for a stream: the whole stream ends at the deadline; items before it are kept. */
    public static <T> Flux<T> honor(Flux<T> source) {
        return TimeLimit.honor(source, null);
    }

    /** {@link #honor(Flux)} on {@code clock}'s time ({@code null}: {@link Schedulers#parallel()}). */
    public static <T> Flux<T> honor(Flux<T> source, Scheduler clock) {
        return TimeLimit.honor(source, clock);
    }

    /**
     * The time left before the deadline in {@code context}, if there is one: zero or negative once it has passed.
     * Clients use it to pass the caller's remaining time on (a server-side statement timeout, a blocking pop's
     * wait).
     */
    public static Optional<Duration> remaining(ContextView context, Scheduler clock) {
        return from(context).map(d -> d.remaining(clock != null ? clock : Schedulers.parallel()));
    }

    /** {@code source} must end within {@code budget} of subscription; see {@link #within(Mono, Duration, String, Scheduler)}. */
    public static <T> Mono<T> within(Mono<T> source, Duration budget) {
        return within(source, budget, "operation", null);
    }

    /** {@code source} must end within {@code budget} of subscription; see {@link #within(Mono, Duration, String, Scheduler)}. */
    public static <T> Mono<T> within(Mono<T> source, Duration budget, String operation) {
        return within(source, budget, operation, null);
    }

    /**
     * {@code source} must end within {@code budget} (> 0) of its subscription, or it is cancelled and the result
     * errors with a {@link DeadlineExceededException} naming {@code operation} and the budget. The deadline is
     * put in the context seen by {@code source}, unless the caller's deadline is earlier, which then stays in
     * force. A deadline that has already passed fails at once without subscribing {@code source}.
     *
     * @param clock the scheduler whose clock and timer to use; {@code null} for {@link Schedulers#parallel()}
     */
    public static <T> Mono<T> within(Mono<T> source, Duration budget, String operation, Scheduler clock) {
        return TimeLimit.apply(source, budget, operation, clock, TimeLimit.Kind.DEADLINE);
    }

    /** The stream must end within {@code budget}; see {@link #within(Flux, Duration, String, Scheduler)}. */
    public static <T> Flux<T> within(Flux<T> source, Duration budget) {
        return within(source, budget, "operation", null);
    }

    /** The stream must end within {@code budget}; see {@link #within(Flux, Duration, String, Scheduler)}. */
    public static <T> Flux<T> within(Flux<T> source, Duration budget, String operation) {
        return within(source, budget, operation, null);
    }

    /**
     * The whole stream must complete within {@code budget} of its subscription; otherwise it is cancelled and
     * errors with a {@link DeadlineExceededException} after the items already emitted. Same context rules as
     * for {@code Mono}.
     */
    public static <T> Flux<T> within(Flux<T> source, Duration budget, String operation, Scheduler clock) {
        return TimeLimit.apply(source, budget, operation, clock, TimeLimit.Kind.DEADLINE);
    }
}
