package dev.reactivekit.core.sync;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One permit of an {@link AsyncSemaphore} (or the ownership of an {@link AsyncLock}), held until
 * {@link #release()}. Releasing is idempotent: a second call does nothing, so a permit can never be returned
 * twice. Prefer {@link AsyncSemaphore#withPermit(reactor.core.publisher.Mono)}, which releases on completion,
 * error and cancellation.
 */
public final class Permit {

    private static final AtomicIntegerFieldUpdater<Permit> RELEASED =
            AtomicIntegerFieldUpdater.newUpdater(Permit.class, "released");

    private final AsyncSemaphore owner;
    private volatile int released;

    Permit(AsyncSemaphore owner) {
        this.owner = owner;
    }

    /** Gives the permit back to its semaphore; the longest-waiting acquirer gets it. Idempotent. */
    public void release() {
        if (RELEASED.compareAndSet(this, 0, 1)) {
            owner.releaseOne();
        }
    }

    /** Whether {@link #release()} has been called. */
    public boolean isReleased() {
        return released == 1;
    }
}
