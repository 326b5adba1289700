package dev.reactivekit.core.sync;

import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A flag that pipelines can wait for (asyncio's {@code Event}): {@link #await()} completes once the event is
 * {@link #set()}, at once if it already is; {@link #clear()} makes later waiters wait again.
 *
 * <pre>{@code
 * AsyncEvent ready = new AsyncEvent();
 * Mono<Void> worker = ready.await().then(doWork());   // waits until someone calls ready.set()
 * }</pre>
 *
 * Thread-safe. Cancelling an {@code await()} removes that waiter only. Waiters never block a thread.
 */
public final class AsyncEvent {

    /** The current generation: terminated while the event is set, replaced by a fresh sink on clear. */
    private final AtomicReference<Sinks.Empty<Void>> generation = new AtomicReference<>(Sinks.empty());

    /** Sets the event, waking every current waiter. Idempotent. */
    public void set() {
        // tryEmitEmpty can only fail because the sink is already terminated (set) or another thread is
        // completing it right now: either way the event ends up set.
        generation.get().tryEmitEmpty();
    }

    /** Clears the event; later {@link #await()} calls wait for the next {@link #set()}. */
    public void clear() {
        Sinks.Empty<Void> current = generation.get();
        if (isSet(current)) {
            generation.compareAndSet(current, Sinks.empty());
        }
    }

    /** Whether the event is set. */
    public boolean isSet() {
        return isSet(generation.get());
    }

    /**
     * Completes when the event is set: immediately if it is set at subscription, otherwise at the next
     * {@link #set()}. Never errors.
     */
    public Mono<Void> await() {
        return Mono.defer(() -> generation.get().asMono());
    }

    /** Waiters currently waiting. */
    public int waiting() {
        return generation.get().currentSubscriberCount();
    }

    @Override
    public String toString() {
        return "AsyncEvent[" + (isSet() ? "set" : "clear") + ", waiting=" + waiting() + "]";
    }

    private static boolean isSet(Sinks.Empty<Void> sink) {
        return Boolean.TRUE.equals(sink.scan(reactor.core.Scannable.Attr.TERMINATED));
    }
}
