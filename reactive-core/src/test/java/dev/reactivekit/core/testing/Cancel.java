package dev.reactivekit.core.testing;

import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** Cancellation-path helper for tests. */
public final class Cancel {

    private Cancel() {
    }

    /**
     * Subscribes, so the pipeline starts its work, then cancels once {@code subscribe()} has returned.
     * <p>
     * Why not {@code StepVerifier...thenCancel()}: StepVerifier runs its script from inside {@code onSubscribe},
     * and operators such as {@code flatMap} pass {@code onSubscribe} downstream before they request from
     * upstream, so the cancel would arrive before any task was subscribed and the test would prove nothing.
     *
     * @throws AssertionError if the publisher failed before it could be cancelled
     */
    public static void afterStart(Publisher<?> publisher) {
        AtomicReference<Throwable> error = new AtomicReference<>();
        Disposable subscription = Flux.from(publisher).subscribe(value -> { }, error::set);
        subscription.dispose();
        if (error.get() != null) {
            throw new AssertionError("the publisher failed before it was cancelled", error.get());
        }
    }
}
