package dev.reactivekit.core;

/** When {@link Tasks#await} returns, as asyncio's {@code return_when}. */
public enum WaitMode {
    /** As soon as any task ends, successfully or not. */
    FIRST_COMPLETED,
    /** As soon as any task fails, or when all have ended if none fails. */
    FIRST_EXCEPTION,
    /** When every task has ended. */
    ALL_COMPLETED
}
