package dev.reactivekit.core;

import dev.reactivekit.core.internal.Checks;
import dev.reactivekit.core.internal.Durations;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * When and how often to try an operation again: an immutable, copy-on-write spec that produces a Reactor
 * {@link Retry}, and can be stored as a template.
 *
 * <pre>{@code
 * RetryPolicy retry = RetryPolicy.exponential(Duration.ofMillis(100))   // 100ms, 200ms, 400ms...
 *     .maxAttempts(4)                                                    // the first call and 3 retries
 *     .maxDelay(Duration.ofSeconds(2))
 *     .jitter(0.5)                                                       // each delay +/- 50%
 *     .retryOn(Failures::isTransient);                                   // 5xx and timeouts, never 4xx
 * Mono<FetchResult> page = Mono.defer(() -> http.get(url)).retryWhen(retry.toReactorRetry("GET " + url));
 * }</pre>
 *
 * The delay before retry {@code n} (n = 1, 2, ...) is {@code baseDelay * multiplier^(n-1)}, capped at
 * {@code maxDelay}, then moved at random by up to {@code jitter} of itself, and never above {@code maxDelay}.
 * Errors that {@code retryOn} rejects pass through at once, unchanged. When the last allowed attempt fails, the
 * result errors with a {@link RetriesExhaustedException} that says how many attempts were made and carries the
 * last failure as its cause. Delays run on the policy's scheduler ({@link Schedulers#parallel()} by default),
 * so {@code StepVerifier.withVirtualTime} controls them in tests.
 * <p>
 * The retried {@code Mono} must be cold ({@code Mono.defer}), so that each attempt does the work again.
 */
public final class RetryPolicy {

    /** Attempts made by default: the first call and two retries. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Default cap on a single delay. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(10);
    /** Default growth factor between consecutive delays of {@link #exponential(Duration)}. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** Default jitter: each delay moves at random by up to half of itself. */
    public static final double DEFAULT_JITTER = 0.5;

    private static final Logger log = LoggerFactory.getLogger(RetryPolicy.class);
    private static final RetryPolicy NONE = new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), 1, 0,
            Failures::isTransient, a -> { }, null);

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final double jitter;
    private final Predicate<? super Throwable> retryOn;
    private final Consumer<? super RetryAttempt> listener;
    private final Scheduler scheduler;

    private RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, double multiplier, double jitter,
            Predicate<? super Throwable> retryOn, Consumer<? super RetryAttempt> listener, Scheduler scheduler) {
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.retryOn = retryOn;
        this.listener = listener;
        this.scheduler = scheduler;
    }

    /**
     * Exponential backoff starting at {@code baseDelay} (> 0): {@value #DEFAULT_MAX_ATTEMPTS} attempts,
     * multiplier {@value #DEFAULT_MULTIPLIER}, at most {@link #DEFAULT_MAX_DELAY} per delay, jitter
     * {@value #DEFAULT_JITTER}, retrying what {@link Failures#isTransient} accepts.
     */
    public static RetryPolicy exponential(Duration baseDelay) {
        Checks.positive(baseDelay, "baseDelay");
        return new RetryPolicy(DEFAULT_MAX_ATTEMPTS, baseDelay, max(baseDelay, DEFAULT_MAX_DELAY), DEFAULT_MULTIPLIER,
                DEFAULT_JITTER, Failures::isTransient, a -> { }, null);
    }

    /** The same {@code delay} (> 0) before every retry, without jitter; otherwise as {@link #exponential}. */
    public static RetryPolicy fixed(Duration delay) {
        Checks.positive(delay, "delay");
        return new RetryPolicy(DEFAULT_MAX_ATTEMPTS, delay, delay, 1.0, 0.0, Failures::isTransient, a -> { }, null);
    }

    /** A single attempt: never retries. */
    public static RetryPolicy none() {
        return NONE;
    }

    /** Total attempts, the first call included (>= 1; 1 means no retry). */
    public RetryPolicy maxAttempts(int maxAttempts) {
        Checks.positive(maxAttempts, "maxAttempts");
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, multiplier, jitter, retryOn, listener, scheduler);
    }

    /** Cap on any single delay (>= the base delay). */
    public RetryPolicy maxDelay(Duration maxDelay) {
        Checks.positive(maxDelay, "maxDelay");
        Checks.isTrue(maxDelay.compareTo(baseDelay) >= 0,
                () -> "`maxDelay` must be >= baseDelay (" + Durations.format(baseDelay) + "): " + Durations.format(maxDelay));
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, multiplier, jitter, retryOn, listener, scheduler);
    }

    /** Growth factor between consecutive delays (>= 1; 1 means a fixed delay). */
    public RetryPolicy multiplier(double multiplier) {
        Checks.isTrue(multiplier >= 1 && Double.isFinite(multiplier), () -> "`multiplier` must be >= 1: " + multiplier);
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, multiplier, jitter, retryOn, listener, scheduler);
    }

    /** Random spread of each delay, as a fraction of it, in [0, 1]; 0 means exact delays. */
    public RetryPolicy jitter(double jitter) {
        Checks.between(jitter, 0, 1, "jitter");
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, multiplier, jitter, retryOn, listener, scheduler);
    }

    /** Which errors are retried; others pass through unchanged. Default: {@link Failures#isTransient}. */
    public RetryPolicy retryOn(Predicate<? super Throwable> retryOn) {
        Checks.notNull(retryOn, "retryOn");
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, multiplier, jitter, retryOn, listener, scheduler);
    }

    /**
     * Adds a listener told of each failed attempt before its retry (after any listeners already added). A
     * listener that throws is logged and ignored: it cannot break the retry.
     */
    public RetryPolicy onRetry(Consumer<? super RetryAttempt> listener) {
        Checks.notNull(listener, "listener");
        Consumer<? super RetryAttempt> previous = this.listener;
        Consumer<RetryAttempt> both = a -> {
            previous.accept(a);
            listener.accept(a);
        };
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, multiplier, jitter, retryOn, both, scheduler);
    }

    /** The scheduler that times the delays; {@code null} (the default) for {@link Schedulers#parallel()}. */
    public RetryPolicy scheduler(Scheduler scheduler) {
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, multiplier, jitter, retryOn, listener, scheduler);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration baseDelay() {
        return baseDelay;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    public double multiplier() {
        return multiplier;
    }

    public double jitter() {
        return jitter;
    }

    public Predicate<? super Throwable> retryOn() {
        return retryOn;
    }

    /** The scheduler set with {@link #scheduler(Scheduler)}, or {@code null}. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** The Reactor {@link Retry} for this policy; see {@link #toReactorRetry(String)}. */
    public Retry toReactorRetry() {
        return toReactorRetry("operation");
    }

    /**
     * The Reactor {@link Retry} for this policy, for {@code mono.retryWhen(...)}. {@code operation} names the
     * operation in the exhausted error and in listener events.
     */
    public Retry toReactorRetry(String operation) {
        return toReactorRetry(operation, retryOn);
    }

    Retry toReactorRetry(String operation, Predicate<? super Throwable> filter) {
        return toReactorRetry(operation, filter, 0);
    }

    /**
     * {@code source} retried by this policy, as {@code source.retryWhen(toReactorRetry(operation))} does, but
     * with nothing of the retry machinery built while the first attempt succeeds: the first failure is handled
     * here, and only then does a {@code retryWhen} (counting from the second attempt) take over. Reactor's
     * {@code retryWhen} allocates a companion sink and subscriber per subscription, which a fast operation run
     * many thousand times a second (a Redis GET) feels.
     */
    <T> Mono<T> retrying(Mono<T> source, String operation) {
        Checks.notNull(operation, "operation");
        if (maxAttempts <= 1) {
            return source;
        }
        return source.onErrorResume(failure -> {
            if (!retryOn.test(failure)) {
                return Mono.error(failure);
            }
            Duration delay = delayBefore(1, ThreadLocalRandom.current().nextDouble());
            notify(new RetryAttempt(operation, 1, failure, delay));
            return Mono.delay(delay, scheduler != null ? scheduler : Schedulers.parallel())
                    .then(source.retryWhen(toReactorRetry(operation, retryOn, 1)));
        });
    }

    /**
     * {@code source} retried by this policy only while it has emitted nothing (so no item is delivered twice),
     * with the retry machinery built, as for a {@code Mono}, only after a first failure.
     */
    <T> Flux<T> retrying(Flux<T> source, String operation) {
        Checks.notNull(operation, "operation");
        if (maxAttempts <= 1) {
            return source;
        }
        return Flux.defer(() -> {
            // Signals of one subscription arrive one at a time: a plain field is enough.
            boolean[] emitted = {false};
            Predicate<Throwable> retryable = e -> !emitted[0] && retryOn.test(e);
            Flux<T> watched = source.doOnNext(item -> emitted[0] = true);
            return watched.onErrorResume(failure -> {
                if (!retryable.test(failure)) {
                    return Flux.error(failure);
                }
                Duration delay = delayBefore(1, ThreadLocalRandom.current().nextDouble());
                notify(new RetryAttempt(operation, 1, failure, delay));
                return Mono.delay(delay, scheduler != null ? scheduler : Schedulers.parallel())
                        .thenMany(watched.retryWhen(toReactorRetry(operation, retryable, 1)));
            });
        });
    }

    /** {@code attemptsBefore}: how many attempts failed before the returned {@code Retry} sees its first failure. */
    private Retry toReactorRetry(String operation, Predicate<? super Throwable> filter, int attemptsBefore) {
        Checks.notNull(operation, "operation");
        return Retry.from(signals -> signals.concatMap(signal -> {
            Throwable failure = signal.failure();
            int attempt = (int) Math.min(Integer.MAX_VALUE, signal.totalRetries() + 1 + attemptsBefore);
            if (!filter.test(failure)) {
                return Mono.error(failure);
            }
            if (attempt >= maxAttempts) {
                return Mono.error(new RetriesExhaustedException(operation, attempt, failure));
            }
            Duration delay = delayBefore(attempt, ThreadLocalRandom.current().nextDouble());
            notify(new RetryAttempt(operation, attempt, failure, delay));
            return Mono.delay(delay, scheduler != null ? scheduler : Schedulers.parallel());
        }));
    }

    /**
     * The delay before retry {@code retry} (1 for the first retry), for a uniform random {@code random} in
     * [0, 1): the nominal delay moved by {@code (2 * random - 1) * jitter} of itself, within [0, maxDelay].
     */
    Duration delayBefore(int retry, double random) {
        double nominal = Math.min(baseDelay.toNanos() * Math.pow(multiplier, retry - 1), maxDelay.toNanos());
        double jittered = nominal * (1 + jitter * (2 * random - 1));
        long nanos = (long) Math.max(0, Math.min(jittered, maxDelay.toNanos()));
        return Duration.ofNanos(nanos);
    }

    private void notify(RetryAttempt attempt) {
        try {
            listener.accept(attempt);
        } catch (Throwable t) {
            Exceptions.throwIfJvmFatal(t);
            log.warn("retry listener failed for {} attempt {}", attempt.operation(), attempt.attempt(), t);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", baseDelay=" + Durations.format(baseDelay)
                + ", maxDelay=" + Durations.format(maxDelay) + ", multiplier=" + multiplier + ", jitter=" + jitter + "]";
    }
}
