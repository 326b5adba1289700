package dev.reactivekit.core.sync;

/**
 * Something waiting in an {@link AsyncSemaphore}'s queue: an {@code acquire()} or a {@code withPermit(...)}.
 * {@link #place} is bookkeeping owned by the semaphore and only touched under its lock.
 */
interface Grantee {

    int NOT_QUEUED = 0;
    int QUEUED = 1;
    int QUEUED_CANCELLED = 2;

    boolean isCancelled();

    /** Hands over one permit; called once, outside the semaphore's lock. A cancelled grantee gives it back. */
    void grant();

    /** The wait queue was full. */
    void reject(Throwable error);

    int place();

    void place(int place);
}
