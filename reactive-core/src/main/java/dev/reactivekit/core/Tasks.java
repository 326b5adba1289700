package dev.reactivekit.core;

import dev.reactivekit.core.internal.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Running many tasks at once: asyncio's {@code gather} and {@code wait}, over Reactor.
 *
 * <table>
 *   <caption>asyncio to ReactiveKit</caption>
 *   <tr><th>asyncio</th><th>ReactiveKit</th></tr>
 *   <tr><td>{@code await gather(*coros)}</td><td>{@link #all(Iterable)}: every value in input order; the first
 *       error cancels the rest</td></tr>
 *   <tr><td>{@code gather(*coros, return_exceptions=True)}</td><td>{@link #settled(Iterable)}: one
 *       {@link Outcome} per input, in input order; nothing is cancelled</td></tr>
 *   <tr><td>{@code wait(..., FIRST_COMPLETED)} then cancel the rest</td><td>{@link #first}: the first value
 *       wins, the others are cancelled</td></tr>
 *   <tr><td>{@code wait(..., FIRST_EXCEPTION)} then cancel the rest</td><td>{@link #firstFailure}</td></tr>
 *   <tr><td>{@code done, pending = await wait(...)}</td><td>{@link #await}: pending tasks handed back
 *       running</td></tr>
 * </table>
 *
 * Tasks are cold {@code Mono}s: nothing starts before the result is subscribed, and each subscription runs
 * them again. The overloads taking inputs and a function ({@code all(urls, http::get)}) name the failing input
 * in errors and label each {@link Outcome} with it. Without a {@link Concurrency} all tasks of an
 * {@code Iterable} run at once, as with {@code gather}; a {@code Publisher} of inputs always needs one. A task
 * that completes empty (a {@code Mono<Void>}) yields {@code null}, as a coroutine returning {@code None} does.
 */
public final class Tasks {

    private Tasks() {
    }

    // ------------------------------------------------------------------ gather

    /**
     * Runs all {@code tasks} at once and emits their values in input order. The first failure cancels the
     * others and is reported as a {@link TaskFailedException} naming the task's position.
     */
    public static <T> Mono<List<T>> all(Iterable<? extends Mono<? extends T>> tasks) {
        List<Mono<? extends T>> list = copy(tasks, "tasks");
        return gather(Flux.fromIterable(list), m -> m, limitFor(list), 0, false);
    }

    /**
     * Runs {@code task} for every input, all at once, and emits the values in input order. The first failure
     * cancels the others and is reported as a {@link TaskFailedException} naming the input.
     */
    public static <I, T> Mono<List<T>> all(Iterable<? extends I> inputs, Function<? super I, ? extends Mono<? extends T>> task) {
        List<I> list = copy(inputs, "inputs");
        return gather(Flux.fromIterable(list), task, limitFor(list), 0, true);
    }

    /** As {@link #all(Iterable, Function)}, with at most {@code limit} tasks running at once. */
    public static <I, T> Mono<List<T>> all(Iterable<? extends I> inputs, Function<? super I, ? extends Mono<? extends T>> task,
            Concurrency<? super I> limit) {
        return all(Flux.fromIterable(copy(inputs, "inputs")), task, limit);
    }

    /** As {@link #all(Iterable, Function)}, over a stream of inputs with at most {@code limit} tasks at once. */
    public static <I, T> Mono<List<T>> all(Publisher<? extends I> inputs, Function<? super I, ? extends Mono<? extends T>> task,
            Concurrency<? super I> limit) {
        Checks.notNull(inputs, "inputs");
        return gather(Flux.from(inputs), task, Checks.notNull(limit, "limit"), 0, true);
    }

    // ------------------------------------------------------------------ settled

    /** Runs all {@code tasks} at once; emits one {@link Outcome} per task, in input order. Never errors. */
    public static <T> Flux<Outcome<T>> settled(Iterable<? extends Mono<? extends T>> tasks) {
        List<Mono<? extends T>> list = copy(tasks, "tasks");
        return settle(Flux.fromIterable(list), m -> m, limitFor(list), false);
    }

    /** Runs {@code task} for every input at once; one {@link Outcome} per input, in input order, labelled with it. */
    public static <I, T> Flux<Outcome<T>> settled(Iterable<? extends I> inputs, Function<? super I, ? extends Mono<? extends T>> task) {
        List<I> list = copy(inputs, "inputs");
        return settle(Flux.fromIterable(list), task, limitFor(list), true);
    }

    /** As {@link #settled(Iterable, Function)}, with at most {@code limit} tasks running at once. */
    public static <I, T> Flux<Outcome<T>> settled(Iterable<? extends I> inputs, Function<? super I, ? extends Mono<? extends T>> task,
            Concurrency<? super I> limit) {
        return settled(Flux.fromIterable(copy(inputs, "inputs")), task, limit);
    }

    /**
     * As {@link #settled(Iterable, Function)}, over a stream of inputs with at most {@code limit} tasks at once:
     * outcomes stream out in input order as they become available.
     */
    public static <I, T> Flux<Outcome<T>> settled(Publisher<? extends I> inputs, Function<? super I, ? extends Mono<? extends T>> task,
            Concurrency<? super I> limit) {
        Checks.notNull(inputs, "inputs");
        return settle(Flux.from(inputs), task, Checks.notNull(limit, "limit"), true);
    }

    // ------------------------------------------------------------------ wait

    /**
     * Runs all {@code tasks} at once; emits the first value, and cancels the others as soon as it arrives.
     * Failures and empty completions are ignored while another task may still succeed; if none does, errors
     * with {@link AllTasksFailedException} listing every error.
     *
     * @throws IllegalArgumentException if {@code tasks} is empty
     */
    public static <T> Mono<T> first(Iterable<? extends Mono<? extends T>> tasks) {
        List<Mono<? extends T>> list = nonEmpty(copy(tasks, "tasks"));
        return Mono.<T>firstWithValue(list).onErrorMap(
                e -> e instanceof NoSuchElementException && e.getCause() != null,
                e -> new AllTasksFailedException(list.size(), Exceptions.unwrapMultiple(e.getCause())));
    }

    /**
     * Runs all {@code tasks} at once until the first one fails, or until all have succeeded. Emits one
     * {@link Outcome} per task in input order: the finished ones as they ended, and those cancelled because of
     * the failure as {@link Outcome.Failure}s of {@link TaskCancelledException}. Never errors.
     */
    public static <T> Mono<List<Outcome<T>>> firstFailure(Iterable<? extends Mono<? extends T>> tasks) {
        List<Mono<? extends T>> list = copy(tasks, "tasks");
        int n = list.size();
        return Mono.defer(() -> {
            AtomicReferenceArray<Outcome<T>> results = new AtomicReferenceArray<>(n);
            return Flux.range(0, n)
                    .flatMap(i -> Outcome.<T>capture(list.get(i)).map(o -> o.at(i, null)), Math.max(1, n))
                    .doOnNext(o -> results.set(o.index(), o))
                    .takeUntil(Outcome::isFailure)
                    .then(Mono.fromSupplier(() -> {
                        List<Outcome<T>> all = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) {
                            Outcome<T> o = results.get(i);
                            all.add(o != null ? o : new Outcome.Failure<>(
                                    new TaskCancelledException("task #" + i + " was cancelled after another task failed"), i, null));
                        }
                        return Collections.unmodifiableList(all);
                    }));
        });
    }

    /**
     * Starts all {@code tasks} and waits as {@code mode} says, then hands back which have ended and which are
     * still running (asyncio's {@code wait}). Pending tasks are not cancelled: that is the caller's choice,
     * with {@link WaitResult#cancelPending()}. Cancelling the returned {@code Mono} before it emits cancels all
     * tasks. Tasks run with the subscriber's context.
     *
     * @throws IllegalArgumentException if {@code tasks} is empty
     */
    public static <T> Mono<WaitResult<T>> await(Iterable<? extends Mono<? extends T>> tasks, WaitMode mode) {
        List<Mono<? extends T>> list = nonEmpty(copy(tasks, "tasks"));
        Checks.notNull(mode, "mode");
        return Mono.create(sink -> {
            List<Task<T>> started = new CopyOnWriteArrayList<>();
            AtomicBoolean allStarted = new AtomicBoolean();
            AtomicBoolean fired = new AtomicBoolean();   // set once: result emitted, or cancelled
            Runnable check = () -> {
                if (!allStarted.get() || !isSatisfied(started, mode) || !fired.compareAndSet(false, true)) {
                    return;
                }
                List<Outcome<T>> done = new ArrayList<>();
                List<Task<T>> pending = new ArrayList<>();
                for (int i = 0; i < started.size(); i++) {
                    Task<T> t = started.get(i);
                    int index = i;
                    t.outcome().ifPresentOrElse(o -> done.add(o.at(index, null)), () -> pending.add(t));
                }
                sink.success(new WaitResult<>(done, pending));
            };
            sink.onCancel(() -> {
                if (fired.compareAndSet(false, true)) {
                    started.forEach(Task::cancel);
                }
            });
            for (int i = 0; i < list.size() && !fired.get(); i++) {
                @SuppressWarnings("unchecked")
                Mono<T> work = (Mono<T>) list.get(i);
                started.add(Task.start("task #" + i, work, sink.contextView(), o -> check.run()));
            }
            allStarted.set(true);
            if (fired.get()) {
                started.forEach(Task::cancel);   // cancelled while starting: stop what did start
            } else {
                check.run();
            }
        });
    }

    // ------------------------------------------------------------------ shared

    /** gather: values in input order, {@code null} for empty completions, first error cancels the rest. */
    static <I, T> Mono<List<T>> gather(Flux<? extends I> inputs, Function<? super I, ? extends Mono<? extends T>> task,
            Concurrency<? super I> limit, long indexOffset, boolean reportInput) {
        Checks.notNull(task, "task");
        Flux<Indexed<I>> indexed = inputs.index((i, x) -> new Indexed<>(indexOffset + i, x));
        return limit.<Indexed<I>, Slot<T>>apply(indexed, Indexed::input, x -> call(task, x.input())
                        .<Slot<T>>map(Slot::new)
                        .defaultIfEmpty(Slot.empty())
                        .onErrorMap(e -> new TaskFailedException((int) x.index(), reportInput ? x.input() : null, e)),
                        true)
                .collect(ArrayList<T>::new, (list, slot) -> list.add(slot.value()))
                .map(Collections::unmodifiableList);
    }

    /** settled: one outcome per input in input order; never errors. */
    static <I, T> Flux<Outcome<T>> settle(Flux<? extends I> inputs, Function<? super I, ? extends Mono<? extends T>> task,
            Concurrency<? super I> limit, boolean reportInput) {
        Checks.notNull(task, "task");
        Flux<Indexed<I>> indexed = inputs.index((i, x) -> new Indexed<>(i, x));
        return limit.apply(indexed, Indexed::input, x -> Outcome.<T>capture(call(task, x.input()))
                .map(o -> o.at((int) x.index(), reportInput ? x.input() : null)), true);
    }

    /** Calls the task function lazily, so that a function that throws becomes a failed task. */
    private static <I, T> Mono<? extends T> call(Function<? super I, ? extends Mono<? extends T>> task, I input) {
        return Mono.defer(() -> Checks.notNull(task.apply(input), "task result"));
    }

    private static Concurrency<Object> limitFor(List<?> list) {
        return Concurrency.limit(Math.max(1, list.size()));
    }

    private static <T> List<T> copy(Iterable<? extends T> items, String name) {
        Checks.notNull(items, name);
        List<T> list = new ArrayList<>();
        for (T item : items) {
            list.add(Checks.notNull(item, name + " element"));
        }
        return list;
    }

    private static <T> List<T> nonEmpty(List<T> list) {
        Checks.isTrue(!list.isEmpty(), () -> "`tasks` must not be empty");
        return list;
    }

    private static <T> boolean isSatisfied(List<Task<T>> tasks, WaitMode mode) {
        int done = 0;
        for (Task<T> t : tasks) {
            if (t.isDone()) {
                done++;
                if (mode == WaitMode.FIRST_COMPLETED
                        || (mode == WaitMode.FIRST_EXCEPTION && t.outcome().map(Outcome::isFailure).orElse(false))) {
                    return true;
                }
            }
        }
        return done == tasks.size();
    }

    private record Indexed<I>(long index, I input) {
    }

    /** A value slot that may hold null, so empty completions keep their place in the list. */
    private record Slot<T>(T value) {
        private static final Slot<?> EMPTY = new Slot<>(null);

        @SuppressWarnings("unchecked")
        static <T> Slot<T> empty() {
            return (Slot<T>) EMPTY;
        }
    }
}
