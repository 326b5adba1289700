package dev.reactivekit.core.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The wait of a graceful close: until the work in flight is done, or the grace is over. The work keeps no
 * signal of its own to wait for (a pool's count of connections lent out, a semaphore's free permits), so the
 * count is looked at every {@link #PERIOD} on Reactor's parallel timer; nothing blocks. Internal.
 */
public final class Drain {

    /** How often the count is looked at. */
    public static final Duration PERIOD = Duration.ofMillis(20);

    private Drain() {
    }

    /** Completes as soon as {@code done} holds, looked at now and every {@link #PERIOD}. */
    public static Mono<Void> until(BooleanSupplier done) {
        return Flux.interval(Duration.ZERO, PERIOD).takeUntil(tick -> done.getAsBoolean()).then();
    }

    /** Completes as soon as {@code done} holds or once {@code grace} has passed, whichever comes first. */
    public static Mono<Void> until(BooleanSupplier done, Duration grace) {
        return Flux.interval(Duration.ZERO, PERIOD).takeUntil(tick -> done.getAsBoolean()).take(grace).then();
    }
}
