package dev.reactivekit.core;

/**
 * How the body of a {@link Resources#use resource scope} ended, as the {@code exc_type}/{@code exc} arguments
 * of asyncio's {@code __aexit__}.
 *
 * @param kind  completed, failed or cancelled
 * @param error the body's error when {@code kind} is {@link Kind#FAILED}, otherwise {@code null}
 */
public record Exit(Kind kind, Throwable error) {

    static final Exit COMPLETED = new Exit(Kind.COMPLETED, null);
    static final Exit CANCELLED = new Exit(Kind.CANCELLED, null);

    static Exit failed(Throwable error) {
        return new Exit(Kind.FAILED, error);
    }

    public enum Kind {
        /** The body completed (with or without a value). */
        COMPLETED,
        /** The body failed with {@link Exit#error()}. */
        FAILED,
        /** The body was cancelled before it ended. */
        CANCELLED
    }
}
