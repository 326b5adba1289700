package dev.reactivekit.core.sync;

import reactor.core.Disposable;

/**
 * Something waiting in an {@link AsyncSemaphore}'s queue: an {@code acquire()} or a {@code withPermit(...)}.
 * {@link #place} and {@link #timer} are bookkeeping owned by the semaphore and only touched under its lock.
 */
interface Grantee {

    int NOT_QUEUED = 0;
    int QUEUED = 1;
    /** Still in the queue, but dead: cancelled, or failed because it waited too long. */
    int QUEUED_DEAD = 2;

    boolean isCancelled();

    /** Hands over one permit; called once, outside the semaphore's lock. A cancelled grantee gives it back. */
    void grant();

    /** The wait queue was full, or the wait took too long. */
    void reject(Throwable error);

    int place();

    void place(int place);

    /** This waiter's own longest wait, or {@code null} for the semaphore's. */
    default java.time.Duration maxWait() {
        return null;
    }

    /** The timer that ends a wait longer than the semaphore's {@code maxWait}, or {@code null}. */
    Disposable timer();

    void timer(Disposable timer);
}
