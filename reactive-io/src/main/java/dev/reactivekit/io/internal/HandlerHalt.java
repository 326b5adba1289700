package dev.reactivekit.io.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>Each guarded subscription gets a signal of its own, kept in a concurrent set while it runs: guarding costs
 * the same with 10 or 10,000 handlers running (one shared multicast sink would copy its array of subscribers on
 * every subscribe and every finish, O(n) each).
 */
public final class HandlerHalt {

    private final Set<Sinks.One<Boolean>> running = ConcurrentHashMap.newKeySet();
    private volatile boolean fired;

    /** {@code handler}, cancelled when {@link #fire()} is called. */
    public <T> Mono<T> guard(Mono<T> handler) {
        return Mono.defer(() -> {
            Sinks.One<Boolean> signal = enter();
            return signal == null ? Mono.<T>empty() : handler.takeUntilOther(signal.asMono()).doFinally(s -> leave(signal));
        });
    }

    /** {@code handler}, cancelled when {@link #fire()} is called. */
    public <T> Flux<T> guard(Publisher<T> handler) {
        return Flux.defer(() -> {
            Sinks.One<Boolean> signal = enter();
            return signal == null ? Flux.<T>empty()
                    : Flux.from(handler).takeUntilOther(signal.asMono()).doFinally(s -> leave(signal));
        });
    }

    /** {@code work}, cancelled and failing with {@code error} instead when {@link #fire()} is called first. */
    public <T> Mono<T> guard(Mono<T> work, Supplier<? extends Throwable> error) {
        return Mono.defer(() -> {
            Sinks.One<Boolean> signal = enter();
            return signal == null ? Mono.<T>error(error.get())
                    : Mono.firstWithSignal(work, signal.asMono().then(Mono.error(error))).doFinally(s -> leave(signal));
        });
    }

    /** {@code work}, cancelled and failing with {@code error} instead when {@link #fire()} is called first. */
    public <T> Flux<T> guard(Flux<T> work, Supplier<? extends Throwable> error) {
        return Flux.defer(() -> {
            Sinks.One<Boolean> signal = enter();
            if (signal == null) {
                return Flux.<T>error(error.get());
            }
            AtomicBoolean cut = new AtomicBoolean();
            return work.takeUntilOther(signal.asMono().doOnNext(f -> cut.set(true)))
                    .concatWith(Mono.defer(() -> cut.get() ? Mono.error(error.get()) : Mono.empty()))
                    .doFinally(s -> leave(signal));
        });
    }

    /** Cancels every guarded handler still running, and any guarded later. */
    public void fire() {
        fired = true;
        for (Sinks.One<Boolean> signal : running) {
            signal.tryEmitValue(Boolean.TRUE);
        }
    }

    /** A signal for one guarded subscription, or null when already fired (it must not start). */
    private Sinks.One<Boolean> enter() {
        if (fired) {
            return null;
        }
        Sinks.One<Boolean> signal = Sinks.one();
        running.add(signal);
        // fire() sets the flag before it walks the set: one of the two sees the other.
        if (fired) {
            running.remove(signal);
            return null;
        }
        return signal;
    }

    /** How many guarded subscriptions are running (for tests). */
    int running() {
        return running.size();
    }

    private void leave(Sinks.One<Boolean> signal) {
        running.remove(signal);
    }
}
