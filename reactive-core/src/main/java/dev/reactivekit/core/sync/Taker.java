package dev.reactivekit.core.sync;

import reactor.core.publisher.Flux;

/** A consumer waiting for items: a single take() or a Flux subscriber with outstanding demand. */
interface Taker<T> {
    /** Cancelled, or failed after waiting too long: skipped and dropped by the queue. */
    boolean isDead();

    /** Hands over one item (under the queue lock); returns the signal to emit after unlocking, if any. */
    Runnable assign(T item);

    /** Whether this taker still wants items after the last assign (under the queue lock). */
    boolean wantsMore();

    /** The queue is closed and empty: the signal that ends this taker. */
    Runnable end();
}
