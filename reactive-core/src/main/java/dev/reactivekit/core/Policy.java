package dev.reactivekit.core;

import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.core.internal.Durations;
import dev.reactivekit.core.sync.AsyncSemaphore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One set of rules for running an operation: per-attempt timeout, retry with backoff, a deadline for the
 * whole operation, and optionally a concurrency limit and a circuit breaker. The same policy applies to any
 * {@code Mono} or {@code Flux}: HTTP fetches, SQL queries, Redis commands.
 *
 * <pre>{@code
 * Policy policy = Policy.builder()
 *     .timeout(Duration.ofSeconds(2))                                        // each attempt
 *     .retry(RetryPolicy.exponential(Duration.ofMillis(100)).maxAttempts(4))
 *     .deadline(Duration.ofSeconds(10))                                      // all attempts together
 *     .build();
 * Mono<String> value = redis.get("key").transform(policy::apply);
 * }</pre>
 *
 * <h2>Order</h2>
 * From the outside in:
 * <ol>
 *   <li><b>deadline</b>: bounds everything below, waits between retries included, and is put in the context so
 *       inner {@link Timeouts} never outlive it. Without a deadline of its own, the policy still honours the
 *       caller's {@link Deadline} in the context ({@link Deadline#honor}), even {@link #none()};</li>
 *   <li><b>retry</b>: re-subscribes the attempt after a retryable failure;</li>
 *   <li><b>guard</b> ({@link AttemptGuard}), a circuit breaker for one
 *       ({@link dev.reactivekit.core.resilience4j.Resilience4j#circuitBreaker}): records each attempt; while
 *       open, attempts fail at once with resilience4j's
 *       {@code CallNotPermittedException}, which is not retried;</li>
 *   <li><b>timeout</b>: bounds one attempt, waiting for a permit included (shortened to the time left before
 *       the deadline);</li>
 *   <li><b>concurrency limit</b>: each attempt holds a permit of a semaphore shared by every operation run
 *       through this policy, released between attempts.</li>
 * </ol>
 * The operation must be cold ({@code Mono.defer}) for retries to do the work again. A {@code Flux} is retried
 * only if it failed before emitting anything, so no item is ever delivered twice.
 * <p>
 * Immutable and thread-safe. A policy with {@link Builder#maxConcurrency(int)} owns one semaphore; every
 * {@code apply} through it shares that limit.
 */
public final class Policy {

    private static final Policy NONE = builder().build();

    private final Duration timeout;
    private final RetryPolicy retry;
    private final Duration deadline;
    private final AsyncSemaphore limiter;
    private final AttemptGuard guard;
    private final Scheduler scheduler;

    private Policy(Builder b) {
        this.timeout = b.timeout;
        this.retry = b.scheduler != null && b.retry.scheduler() == null ? b.retry.scheduler(b.scheduler) : b.retry;
        this.deadline = b.deadline;
        this.limiter = b.limiter;
        this.guard = b.guard;
        this.scheduler = b.scheduler;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A policy that applies nothing of its own (no timeout, retry, deadline or limit) but the caller's deadline. */
    public static Policy none() {
        return NONE;
    }

    /** A builder with this policy's settings; the concurrency limit, if any, stays shared. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.timeout = timeout;
        b.retry = retry;
        b.deadline = deadline;
        b.limiter = limiter;
        b.guard = guard;
        b.scheduler = scheduler;
        return b;
    }

    /** Applies the policy to {@code operation}, named "operation" in errors. */
    public <T> Mono<T> apply(Mono<T> operation) {
        return apply("operation", operation);
    }

    /** Applies the policy to a stream, named "operation" in errors. */
    public <T> Flux<T> apply(Flux<T> operation) {
        return apply("operation", operation);
    }

    /** Applies the policy to {@code operation}; {@code name} appears in timeout, deadline and retry errors. */
    public <T> Mono<T> apply(String name, Mono<T> operation) {
        Checks.notNull(name, "name");
        Checks.notNull(operation, "operation");
        Mono<T> attempt = operation;
        if (limiter != null) {
            attempt = limiter.withPermit(attempt);
        }
        if (timeout != null) {
            attempt = Timeouts.timeout(attempt, timeout, name, scheduler);
        }
        if (guard != null) {
            attempt = guard.guard(attempt);
        }
        if (retry.maxAttempts() > 1) {
            attempt = retry.retrying(attempt, name);
        }
        return deadline != null ? Deadline.within(attempt, deadline, name, scheduler)
                : Deadline.honor(attempt, scheduler);
    }

    /** Applies the policy to a stream; a stream that has emitted an item is not retried. */
    public <T> Flux<T> apply(String name, Flux<T> operation) {
        Checks.notNull(name, "name");
        Checks.notNull(operation, "operation");
        Flux<T> attempt = operation;
        if (limiter != null) {
            attempt = limiter.withPermit(attempt);
        }
        if (timeout != null) {
            attempt = Timeouts.timeout(attempt, timeout, name, scheduler);
        }
        if (guard != null) {
            attempt = guard.guard(attempt);
        }
        if (retry.maxAttempts() > 1) {
            attempt = retry.retrying(attempt, name);
        }
        return deadline != null ? Deadline.within(attempt, deadline, name, scheduler)
                : Deadline.honor(attempt, scheduler);
    }

    /**
     * Runs {@code attempt.apply(n)} for attempt {@code n} = 1, 2, ... under this policy, so the operation knows
     * which attempt it is (to report it in its result, as reactive-io's {@code FetchResult.attempts()} does).
     */
    public <T> Mono<T> execute(String name, IntFunction<? extends Mono<T>> attempt) {
        Checks.notNull(attempt, "attempt");
        return Mono.defer(() -> {
            AtomicInteger counter = new AtomicInteger();
            return apply(name, Mono.defer(() -> attempt.apply(counter.incrementAndGet())));
        });
    }

    /** The per-attempt timeout, or {@code null}. */
    public Duration timeout() {
        return timeout;
    }

    /** The retry policy; {@link RetryPolicy#none()} when not retrying. */
    public RetryPolicy retry() {
        return retry;
    }

    /** The whole-operation deadline, or {@code null}. */
    public Duration deadline() {
        return deadline;
    }

    /** The shared concurrency limit, or {@code null}. */
    public AsyncSemaphore concurrencyLimit() {
        return limiter;
    }

    /** The guard around each attempt (a circuit breaker), or {@code null}. */
    public AttemptGuard guard() {
        return guard;
    }

    @Override
    public String toString() {
        return "Policy[timeout=" + (timeout == null ? "none" : Durations.format(timeout)) + ", retry=" + retry
                + ", deadline=" + (deadline == null ? "none" : Durations.format(deadline))
                + (limiter == null ? "" : ", maxConcurrency=" + limiter.permits())
                + (guard == null ? "" : ", guard=" + guard) + "]";
    }

    /** Builds a {@link Policy}. Every setting is optional; unset means "not applied". */
    public static final class Builder {
        private Duration timeout;
        private RetryPolicy retry = RetryPolicy.none();
        private Duration deadline;
        private AsyncSemaphore limiter;
        private AttemptGuard guard;
        private Scheduler scheduler;

        private Builder() {
        }

        /** Per-attempt timeout (> 0); {@code null} for none. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout == null ? null : Checks.positive(timeout, "timeout");
            return this;
        }

        /** Retry policy; {@link RetryPolicy#none()} (the default) never retries. */
        public Builder retry(RetryPolicy retry) {
            this.retry = Checks.notNull(retry, "retry");
            return this;
        }

        /** Whole-operation deadline (> 0), all attempts and waits included; {@code null} for none. */
        public Builder deadline(Duration deadline) {
            this.deadline = deadline == null ? null : Checks.positive(deadline, "deadline");
            return this;
        }

        /**
         * At most {@code maxConcurrency} (> 0) attempts at once across every use of the built policy. Attempts
         * beyond it wait for a permit, within the semaphore's default bounds: at most
         * {@value AsyncSemaphore#DEFAULT_MAX_WAITERS} waiting (more fail at once with
         * {@link dev.reactivekit.core.sync.TooManyWaitersException}), each at most 30 s (then
         * {@link PoolTimeoutException}); the per-attempt timeout, when shorter, ends the wait first. For other
         * bounds pass your own semaphore to {@link #concurrencyLimit}.
         */
        public Builder maxConcurrency(int maxConcurrency) {
            Checks.positive(maxConcurrency, "maxConcurrency");
            this.limiter = AsyncSemaphore.builder(maxConcurrency)
                    .name("policy concurrency limit (maxConcurrency " + maxConcurrency + ")").build();
            return this;
        }

        /** Shares an existing semaphore as the concurrency limit; {@code null} for none. */
        public Builder concurrencyLimit(AsyncSemaphore limiter) {
            this.limiter = limiter;
            return this;
        }

        /**
         * A guard around each attempt, inside the retry: a circuit breaker
         * ({@link dev.reactivekit.core.resilience4j.Resilience4j#circuitBreaker}); {@code null} for none.
         */
        public Builder guard(AttemptGuard guard) {
            this.guard = guard;
            return this;
        }

        /**
         * The scheduler for timeout, deadline and (unless the retry policy has its own) backoff timers;
         * {@code null} (the default) for Reactor's parallel scheduler.
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @throws IllegalArgumentException if the per-attempt timeout is longer than the deadline, which would
         *                                  make it meaningless
         */
        public Policy build() {
            if (timeout != null && deadline != null && timeout.compareTo(deadline) > 0) {
                throw new IllegalArgumentException("`timeout` (" + Durations.format(timeout)
                        + ") must not be longer than `deadline` (" + Durations.format(deadline) + ")");
            }
            return new Policy(this);
        }
    }
}
