package dev.reactivekit.core;

import dev.reactivekit.core.internal.Checks;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import reactor.core.Exceptions;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * A running computation with a handle, as asyncio's {@code create_task}: {@link #start(Mono)} subscribes at
 * once, and the returned task can be awaited any number of times with {@link #join()} and stopped with
 * {@link #cancel()}.
 *
 * <pre>{@code
 * Task<String> page = Task.start(http.get(url).map(FetchResult::text));   // already running
 * doSomethingElse();
 * page.join().subscribe(System.out::println);                              // await its result
 * }</pre>
 *
 * Unlike a cold {@code Mono}, a task runs once whatever the number of joiners, and cancelling one joiner does not
 * cancel the task: only {@link #cancel()} does (or the {@link TaskGroup} that owns it). Prefer
 * {@link TaskGroup} to free-standing tasks, so that nothing outlives the scope that started it.
 *
 * @param <T> the type of the task's value
 */
public final class Task<T> {

    private final Sinks.One<T> result = Sinks.one();
    private final AtomicReference<Outcome<T>> outcome = new AtomicReference<>();
    private final Consumer<Outcome<T>> onEnd;
    private final Runner runner = new Runner();
    private final String name;

    private Task(String name, Consumer<Outcome<T>> onEnd) {
        this.name = name;
        this.onEnd = onEnd;
    }

    /** Starts {@code work} now, on the calling thread, and returns its handle. */
    public static <T> Task<T> start(Mono<T> work) {
        return start(work, Context.empty());
    }

    /**
     * Starts {@code work} now with the given subscriber context (for example the caller's context, so that a
     * {@link Deadline} it carries bounds the task).
     */
    public static <T> Task<T> start(Mono<T> work, ContextView context) {
        return start("task", work, context, o -> { });
    }

    /**
     * Starts {@code work}; {@code onEnd} runs once when the task ends (success, failure or cancellation),
     * before any joiner sees the result. Used by {@link TaskGroup} and {@link Tasks}.
     */
    static <T> Task<T> start(String name, Mono<T> work, ContextView context, Consumer<Outcome<T>> onEnd) {
        Checks.notNull(work, "work");
        Task<T> task = new Task<>(name, onEnd);
        work.contextWrite(Context.of(context)).subscribe(task.runner);
        return task;
    }

    /**
     * Awaits the task: emits its value, completes empty if it completed empty, or errors with its error
     * ({@link TaskCancelledException} if it was cancelled). Cancelling the returned {@code Mono} stops waiting
     * but leaves the task running.
     */
    public Mono<T> join() {
        return result.asMono();
    }

    /**
     * Cancels the task if it is still running; idempotent. Its joiners then fail with
     * {@link TaskCancelledException}. Returns {@code true} if this call cancelled it.
     */
    public boolean cancel() {
        Outcome<T> cancelled = Outcome.failure(new TaskCancelledException(name + " was cancelled"));
        if (!outcome.compareAndSet(null, cancelled)) {
            return false;
        }
        // Stop the work first, so that whoever is told the task ended (a TaskGroup) knows it has really stopped.
        runner.dispose();
        publish(cancelled);
        return true;
    }

    /** Whether the task has ended, by success, failure or cancellation. */
    public boolean isDone() {
        return outcome.get() != null;
    }

    /** Whether the task ended by {@link #cancel()}. */
    public boolean isCancelled() {
        Outcome<T> o = outcome.get();
        return o != null && o.isFailure() && o.error() instanceof TaskCancelledException;
    }

    /** How the task ended, or empty while it is running. */
    public Optional<Outcome<T>> outcome() {
        return Optional.ofNullable(outcome.get());
    }

    @Override
    public String toString() {
        Outcome<T> o = outcome.get();
        return name + (o == null ? "[running]" : o.isSuccess() ? "[done]" : isCancelled() ? "[cancelled]" : "[failed]");
    }

    private void finish(Outcome<T> end) {
        if (outcome.compareAndSet(null, end)) {
            publish(end);
        }
    }

    /** Runs once, by the thread that set the outcome, so the sink is never used concurrently. */
    private void publish(Outcome<T> end) {
        try {
            onEnd.accept(end);
        } finally {
            if (end instanceof Outcome.Success<T> s) {
                if (s.value() == null) {
                    result.tryEmitEmpty();
                } else {
                    result.tryEmitValue(s.value());
                }
            } else {
                result.tryEmitError(end.error());
            }
        }
    }

    private final class Runner extends BaseSubscriber<T> {
        private T value;

        @Override
        protected void hookOnNext(T v) {
            value = v;
        }

        @Override
        protected void hookOnComplete() {
            finish(Outcome.success(value));
        }

        @Override
        protected void hookOnError(Throwable e) {
            Exceptions.throwIfJvmFatal(e);
            finish(Outcome.failure(e));
        }
    }
}
