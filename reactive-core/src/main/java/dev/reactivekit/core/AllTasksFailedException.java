package dev.reactivekit.core;

import dev.reactivekit.core.internal.Errors;
import java.util.List;

/**
 * {@link Tasks#first} found no winner: every task failed or completed without a value. Each task's error is
 * {@linkplain #getSuppressed() suppressed} in input order (tasks that completed empty contribute none); the
 * first error is also the cause.
 */
public final class AllTasksFailedException extends ReactiveKitException {

    private static final long serialVersionUID = 1L;

    public AllTasksFailedException(int tasks, List<Throwable> errors) {
        super("all " + tasks + " tasks failed or completed empty"
                + (errors.isEmpty() ? "" : "; first error: " + Errors.describe(errors.get(0))),
                errors.isEmpty() ? null : errors.get(0));
        errors.forEach(this::addSuppressed);
    }
}
