package dev.reactivekit.core;

import dev.reactivekit.core.internal.Errors;

/**
 * One task of a {@link Tasks#all gather} failed; the others were cancelled. Names the failing task by its
 * position in the input and, when the tasks were made from inputs, by the input itself, for example
 * {@code "task #3 (input: http://127.0.0.1:8080/status/500) failed: HTTP 500"}. The original error is the
 * {@linkplain #getCause() cause}; {@link Failures#isTransient} looks through to it.
 */
public final class TaskFailedException extends ReactiveKitException {

    private static final long serialVersionUID = 1L;

    private final int index;
    private final transient Object input;

    public TaskFailedException(int index, Object input, Throwable cause) {
        super("task #" + index + (input == null ? "" : " (input: " + input + ")") + " failed: "
                + Errors.describe(cause), cause);
        this.index = index;
        this.input = input;
    }

    /** Zero-based position of the failing task in the input. */
    public int index() {
        return index;
    }

    /** The input the failing task was made from, or {@code null} when the tasks were given directly. */
    public Object input() {
        return input;
    }
}
