package dev.reactivekit.core;

import dev.reactivekit.core.internal.Checks;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * The result of one task as a value: a {@link Success} holding the task's value or a {@link Failure} holding
 * its error. This is asyncio's {@code gather(..., return_exceptions=True)} made type-safe:
 * {@link Tasks#settled} returns one {@code Outcome} per input, in input order, and nothing is cancelled when
 * one fails.
 *
 * <pre>{@code
 * Tasks.settled(urls, http::get, Concurrency.limit(50))
 *     .subscribe(o -> {
 *         if (o instanceof Outcome.Success<FetchResult> s) log.info("{} -> {}", o.input(), s.value().status());
 *         else log.warn("{} failed", o.input(), o.error());
 *     });
 * }</pre>
 *
 * When an outcome comes from a collection, {@link #index()} is the zero-based position of its input and
 * {@link #input()} the input itself (for example the URL); for a standalone outcome they are {@code -1} and
 * {@code null}. A task that completed without a value (an empty {@code Mono}, such as a {@code Mono<Void>})
 * is a success whose {@link #value()} is {@code null}.
 *
 * @param <T> the type of the task's value
 */
public sealed interface Outcome<T> permits Outcome.Success, Outcome.Failure {

    /** A task that completed; {@code value} is {@code null} when it completed empty. */
    record Success<T>(T value, int index, Object input) implements Outcome<T> {
        @Override
        public Throwable error() {
            throw new NoSuchElementException("a successful outcome has no error");
        }

        @Override
        public Outcome<T> at(int index, Object input) {
            return new Success<>(value, index, input);
        }
    }

    /** A task that failed with {@code error}. */
    record Failure<T>(Throwable error, int index, Object input) implements Outcome<T> {
        public Failure {
            Checks.notNull(error, "error");
        }

        @Override
        public T value() {
            throw new NoSuchElementException("a failed outcome has no value; it failed with: " + error);
        }

        @Override
        public Outcome<T> at(int index, Object input) {
            return new Failure<>(error, index, input);
        }
    }

    /** A standalone success. {@code value} may be {@code null} (the task completed empty). */
    static <T> Outcome<T> success(T value) {
        return new Success<>(value, -1, null);
    }

    /** A standalone failure. */
    static <T> Outcome<T> failure(Throwable error) {
        return new Failure<>(error, -1, null);
    }

    /**
     * Runs {@code task} and captures how it ends: the returned {@code Mono} emits exactly one outcome and never
     * errors (except for JVM-fatal errors, which are rethrown). Cancelling it cancels the task.
     */
    static <T> Mono<Outcome<T>> capture(Mono<? extends T> task) {
        Checks.notNull(task, "task");
        return task.<Outcome<T>>map(Outcome::success)
                .defaultIfEmpty(success(null))
                .onErrorResume(e -> {
                    Exceptions.throwIfJvmFatal(e);
                    return Mono.just(failure(e));
                });
    }

    /** The value of a success; a failure throws {@link NoSuchElementException} (use {@link #orElseThrow()}). */
    T value();

    /** The error of a failure; a success throws {@link NoSuchElementException}. */
    Throwable error();

    /** Zero-based position of this outcome's input in its collection, or {@code -1} when standalone. */
    int index();

    /** The input this outcome was computed from (for example a URL), or {@code null} when unknown. */
    Object input();

    /** The same outcome, labelled with its position and input in a collection. */
    Outcome<T> at(int index, Object input);

    default boolean isSuccess() {
        return this instanceof Success;
    }

    default boolean isFailure() {
        return this instanceof Failure;
    }

    /** Applies {@code fn} to a success's value; a failure passes through. Keeps index and input. */
    @SuppressWarnings("unchecked")
    default <R> Outcome<R> map(Function<? super T, ? extends R> fn) {
        if (this instanceof Success<T> s) {
            return new Success<>(fn.apply(s.value()), s.index(), s.input());
        }
        return (Outcome<R>) this;
    }

    /** Chains another outcome-producing step on a success; a failure passes through. Keeps index and input. */
    @SuppressWarnings("unchecked")
    default <R> Outcome<R> flatMap(Function<? super T, Outcome<R>> fn) {
        if (this instanceof Success<T> s) {
            return fn.apply(s.value()).at(s.index(), s.input());
        }
        return (Outcome<R>) this;
    }

    /** Turns a failure into a success computed from its error; a success passes through. */
    default Outcome<T> recover(Function<? super Throwable, ? extends T> fn) {
        if (this instanceof Failure<T> f) {
            return new Success<>(fn.apply(f.error()), f.index(), f.input());
        }
        return this;
    }

    /** The value of a success, or {@code fallback} for a failure. */
    default T orElse(T fallback) {
        return this instanceof Success<T> s ? s.value() : fallback;
    }

    /** The value of a success, or {@code fallback(error)} for a failure. */
    default T orElseGet(Function<? super Throwable, ? extends T> fallback) {
        return this instanceof Success<T> s ? s.value() : fallback.apply(error());
    }

    /**
     * The value of a success; a failure rethrows its error, unchanged if unchecked, wrapped by Reactor's
     * {@link Exceptions#propagate} if checked.
     */
    default T orElseThrow() {
        if (this instanceof Success<T> s) {
            return s.value();
        }
        throw Exceptions.propagate(error());
    }

    /** The value of a success, empty for a failure or for a success without a value. */
    default Optional<T> toOptional() {
        return this instanceof Success<T> s ? Optional.ofNullable(s.value()) : Optional.empty();
    }

    /** Back to a {@code Mono}: the value (empty if {@code null}) or the error. */
    default Mono<T> toMono() {
        return this instanceof Success<T> s ? Mono.justOrEmpty(s.value()) : Mono.error(error());
    }

    /** Folds both cases into one value. */
    default <R> R fold(Function<? super T, ? extends R> onSuccess, Function<? super Throwable, ? extends R> onFailure) {
        return this instanceof Success<T> s ? onSuccess.apply(s.value()) : onFailure.apply(error());
    }
}
