package dev.reactivekit.core;

import dev.reactivekit.core.internal.Errors;
import java.util.List;

/**
 * A {@link TaskGroup} failed: one or more of its tasks (or its body) raised an error, and every other task was
 * cancelled. Like Python's {@code ExceptionGroup}: {@link #errors()} lists every failure in the order they
 * happened; the first is also the {@linkplain #getCause() cause} and the rest are
 * {@linkplain #getSuppressed() suppressed}. Cancellations caused by the group itself are not listed.
 */
public final class TaskGroupException extends ReactiveKitException {

    private static final long serialVersionUID = 1L;

    private final transient List<Throwable> errors;

    public TaskGroupException(List<Throwable> errors) {
        super(message(errors), errors.get(0));
        this.errors = List.copyOf(errors);
        for (int i = 1; i < errors.size(); i++) {
            addSuppressed(errors.get(i));
        }
    }

    /** Every failure, in the order they happened. Never empty. */
    public List<Throwable> errors() {
        return errors;
    }

    private static String message(List<Throwable> errors) {
        String first = Errors.describe(errors.get(0));
        return errors.size() == 1
                ? "task group failed: " + first
                : "task group failed with " + errors.size() + " errors; first: " + first;
    }
}
