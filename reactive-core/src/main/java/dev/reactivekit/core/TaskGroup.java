package dev.reactivekit.core;

import dev.reactivekit.core.internal.Checks;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.util.context.ContextView;

/**
 * Structured concurrency, as Python 3.11's {@code asyncio.TaskGroup}: tasks started in a group cannot outlive
 * it.
 *
 * <pre>{@code
 * Mono<Report> report = TaskGroup.run(group -> {
 *     Task<User> user = group.start(users.find(id));
 *     Task<List<Order>> orders = group.start(orders.recent(id));
 *     return user.join().zipWith(orders.join(), Report::new);
 * });
 * }</pre>
 *
 * <ul>
 *   <li>The body runs when the result is subscribed, and may {@link #start} child tasks, which may start more.
 *       Children run with the subscriber's context, so a {@link Deadline} bounds them all.</li>
 *   <li>The group completes only when the body and every child have ended, with the body's value.</li>
 *   <li>When the body or a child fails, every other task (and the body) is cancelled, and the group fails
 *       with a {@link TaskGroupException} listing every error. Cancelling a child yourself is not a
 *       failure.</li>
 *   <li>Cancelling the result cancels the body and every child.</li>
 * </ul>
 */
public final class TaskGroup {

    private final Object lock = new Object();
    private final ContextView context;
    // Guarded by lock.
    private final Set<Task<?>> running = new LinkedHashSet<>();
    private final List<Throwable> errors = new ArrayList<>();
    private boolean stopping;
    private boolean closed;
    private int started;
    private Runnable whenEnded;

    private TaskGroup(ContextView context) {
        this.context = context;
    }

    /**
     * Runs {@code body} in a new group and emits its value once the body and all children have ended; empty if
     * the body completed empty. Errors with a {@link TaskGroupException} if the body or any child failed.
     */
    public static <R> Mono<R> run(Function<? super TaskGroup, ? extends Mono<R>> body) {
        Checks.notNull(body, "body");
        return Mono.create(sink -> {
            TaskGroup group = new TaskGroup(sink.contextView());
            sink.onCancel(() -> group.stop(null));
            Task<R> main = group.spawn("task group body", Mono.defer(() -> body.apply(group)), false);
            if (main != null) {
                group.onEnded(() -> group.complete(sink, main));
            }
        });
    }

    /**
     * Starts {@code work} now as a child of this group and returns its handle.
     *
     * @throws IllegalStateException if the group has ended, or is stopping because a task failed or it was
     *                               cancelled
     */
    public <T> Task<T> start(Mono<T> work) {
        Checks.notNull(work, "work");
        return spawn("child task", work, true);
    }

    /** Children and body still running. */
    public int active() {
        synchronized (lock) {
            return running.size();
        }
    }

    /** Starts a task in the group; returns null for the body of a group cancelled before it started. */
    private <T> Task<T> spawn(String kind, Mono<T> work, boolean child) {
        String name;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("task group has ended: no more tasks can be started");
            }
            if (stopping) {
                if (!child) {
                    return null;
                }
                throw new IllegalStateException("task group is shutting down after a failure or cancellation");
            }
            name = kind + " #" + started++;
        }
        TaskRef<T> ref = new TaskRef<>();
        Task<T> task = Task.start(name, work, context, outcome -> ended(ref.task, outcome));
        ref.task = task;
        boolean cancelNow;
        synchronized (lock) {
            // A task that ended during start() has already been accounted for by ended().
            if (!task.isDone()) {
                running.add(task);
            }
            // stop() may have run while this task was starting, after taking its snapshot of running tasks.
            cancelNow = stopping;
        }
        if (cancelNow) {
            task.cancel();
        }
        if (task.isDone()) {
            // It may have ended between the checks: make sure it is not left in running.
            ended(task, task.outcome().orElseThrow());
        }
        return task;
    }

    private void ended(Task<?> task, Outcome<?> outcome) {
        if (task != null) {
            synchronized (lock) {
                running.remove(task);
            }
        }
        if (outcome.isFailure() && !(outcome.error() instanceof TaskCancelledException)) {
            stop(outcome.error());
        }
        maybeEnd();
    }

    /** Records {@code error} (null for an outside cancellation) and cancels everything still running. */
    private void stop(Throwable error) {
        List<Task<?>> toCancel;
        synchronized (lock) {
            if (error != null && errors.stream().noneMatch(e -> e == error)) {
                errors.add(error);
            }
            if (stopping) {
                return;
            }
            stopping = true;
            toCancel = new ArrayList<>(running);
        }
        for (Task<?> t : toCancel) {
            t.cancel();
        }
    }

    private void onEnded(Runnable action) {
        synchronized (lock) {
            whenEnded = action;
        }
        maybeEnd();
    }

    private void maybeEnd() {
        Runnable action;
        synchronized (lock) {
            if (closed || whenEnded == null || !running.isEmpty()) {
                return;
            }
            closed = true;
            action = whenEnded;
        }
        action.run();
    }

    private <R> void complete(MonoSink<R> sink, Task<R> main) {
        List<Throwable> failures;
        synchronized (lock) {
            failures = List.copyOf(errors);
        }
        if (!failures.isEmpty()) {
            sink.error(new TaskGroupException(failures));
            return;
        }
        Outcome<R> outcome = main.outcome().orElseThrow();
        if (outcome.isFailure()) {
            // Only a cancellation can get here: the group was cancelled from outside, nobody is listening.
            sink.error(outcome.error());
        } else if (outcome.value() == null) {
            sink.success();
        } else {
            sink.success(outcome.value());
        }
    }

    /** Lets the end callback know its task before Task.start() returns. */
    private static final class TaskRef<T> {
        volatile Task<T> task;
    }
}
