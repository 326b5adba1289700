package dev.reactivekit.core.testing;

import dev.reactivekit.core.Deadline;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/** Deadlines for tests of clients that must honour the caller's deadline. */
public final class Deadlines {

    private Deadlines() {
    }

    /**
     * A subscriber context whose deadline, set by {@code operation} with a budget of 1 ms, has already passed:
     * an operation subscribed with it must fail at once, before it acquires or sends anything.
     */
    public static Context passed(String operation) {
        Deadline deadline = Deadline.within(Mono.deferContextual(ctx -> Mono.justOrEmpty(Deadline.from(ctx))),
                Duration.ofMillis(1), operation).block(Duration.ofSeconds(5));
        long until = System.nanoTime() + 5_000_000;
        while (System.nanoTime() < until) {
            // let the 1 ms budget run out (busy: test threads may not sleep)
        }
        return Context.of(Deadline.class, deadline);
    }
}
