package dev.reactivekit.core;

import java.util.List;

/**
 * What {@link Tasks#await} hands back, as asyncio's {@code (done, pending)}: the outcomes of the tasks that had
 * ended, in input order and labelled with their {@link Outcome#index() index}, and the tasks still running.
 * The pending tasks keep running: await them with {@link Task#join()}, or stop them with
 * {@link #cancelPending()}.
 *
 * @param done    outcomes of the ended tasks, in input order
 * @param pending tasks that had not ended when the wait returned, in input order
 * @param <T>     the tasks' value type
 */
public record WaitResult<T>(List<Outcome<T>> done, List<Task<T>> pending) {

    public WaitResult {
        done = List.copyOf(done);
        pending = List.copyOf(pending);
    }

    /** Cancels every pending task; returns how many this call cancelled. */
    public int cancelPending() {
        int cancelled = 0;
        for (Task<T> task : pending) {
            if (task.cancel()) {
                cancelled++;
            }
        }
        return cancelled;
    }
}
