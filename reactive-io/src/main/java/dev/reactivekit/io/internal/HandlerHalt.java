package dev.reactivekit.io.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Cancels the work a closed resource still runs once its grace period is over: the handlers of a stopped server
 * (Reactor Netty closes their connections but leaves the handlers' subscriptions, and whatever they hold,
 * alive), the requests of a closed fetcher, the runs of closed {@code Processes}. One per resource. Internal.
 */
public final class HandlerHalt {

    private final Sinks.One<Boolean> signal = Sinks.one();

    /** {@code handler}, cancelled when {@link #fire()} is called. */
    public <T> Mono<T> guard(Mono<T> handler) {
        return handler.takeUntilOther(signal.asMono());
    }

    /** {@code handler}, cancelled when {@link #fire()} is called. */
    public <T> Flux<T> guard(Publisher<T> handler) {
        return Flux.from(handler).takeUntilOther(signal.asMono());
    }

    /** {@code work}, cancelled and failing with {@code error} instead when {@link #fire()} is called first. */
    public <T> Mono<T> guard(Mono<T> work, Supplier<? extends Throwable> error) {
        return Mono.firstWithSignal(work, signal.asMono().then(Mono.error(error)));
    }

    /** {@code work}, cancelled and failing with {@code error} instead when {@link #fire()} is called first. */
    public <T> Flux<T> guard(Flux<T> work, Supplier<? extends Throwable> error) {
        return Flux.defer(() -> {
            AtomicBoolean cut = new AtomicBoolean();
            return work.takeUntilOther(signal.asMono().doOnNext(fired -> cut.set(true)))
                    .concatWith(Mono.defer(() -> cut.get() ? Mono.error(error.get()) : Mono.empty()));
        });
    }

    /** Cancels every guarded handler still running, and any guarded later. */
    public void fire() {
        signal.tryEmitValue(Boolean.TRUE);
    }
}
