package dev.reactivekit.data.redis;

import dev.reactivekit.core.Deadline;
import java.time.Duration;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A blocking command's wait within the caller's {@link Deadline}: the server is asked to wait no longer than the
 * time left (less a margin, so that its empty reply comes back before the deadline fires on the client and costs
 * the dedicated connection), a deadline that has passed fails before a connection is taken, and a wait the
 * deadline cut short that found nothing is the deadline's error, not an empty result.
 */
final class BlockingWait {

    /**
     * How long before the deadline the server stops waiting at most (half the time left when shorter): Redis ends
     * blocked commands on its event loop's tick, 100 ms apart at the default {@code hz 10}, so a wait may run that
     * much over.
     */
    static final Duration MARGIN = Duration.ofMillis(250);

    private BlockingWait() {
    }

    static <T> Mono<T> within(Duration asked, Function<Duration, Mono<T>> command) {
        return Mono.deferContextual(ctx -> {
            Deadline deadline = Deadline.from(ctx).orElse(null);
            if (deadline == null) {
                return command.apply(asked);
            }
            Duration left = deadline.remaining(Schedulers.parallel());
            Duration wait = left.minus(left.compareTo(MARGIN.multipliedBy(2)) < 0 ? left.dividedBy(2) : MARGIN);
            if (wait.toMillis() < 1) {
                return Mono.error(deadline.exceeded());
            }
            if (wait.compareTo(asked) >= 0) {
                return command.apply(asked);
            }
            return command.apply(wait).switchIfEmpty(Mono.error(deadline::exceeded));
        });
    }
}
