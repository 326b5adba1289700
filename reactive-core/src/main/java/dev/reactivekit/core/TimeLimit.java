package dev.reactivekit.core;

import dev.reactivekit.core.internal.Checks;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * The one implementation behind {@link Timeouts} and {@link Deadline}: at subscription, a limit is resolved
 * against the deadline already in the context, and the nearer of the two is enforced with its own error.
 */
final class TimeLimit {

    /**
     * Whether the limit is a per-attempt timeout, a new deadline to put in the context, or none of its own (only
     * the context's deadline is honoured).
     */
    enum Kind { TIMEOUT, DEADLINE, HONOR }

    private TimeLimit() {
    }

    static <T> Mono<T> apply(Mono<T> source, Duration limit, String operation, Scheduler clock, Kind kind) {
        Checks.notNull(source, "source");
        validate(limit, operation, kind);
        return Mono.deferContextual(ctx -> {
            Scheduler timer = clock != null ? clock : Schedulers.parallel();
            Plan plan = plan(ctx, timer, limit, operation, kind);
            if (plan.delay == null) {
                return Mono.error(plan.error.get());
            }
            Mono<T> bounded = source.timeout(plan.delay, Mono.error(plan.error), timer);
            return plan.deadline == null ? bounded : bounded.contextWrite(c -> c.put(Deadline.class, plan.deadline));
        });
    }

    static <T> Flux<T> apply(Flux<T> source, Duration limit, String operation, Scheduler clock, Kind kind) {
        Checks.notNull(source, "source");
        validate(limit, operation, kind);
        return Flux.deferContextual(ctx -> {
            Scheduler timer = clock != null ? clock : Schedulers.parallel();
            Plan plan = plan(ctx, timer, limit, operation, kind);
            if (plan.delay == null) {
                return Flux.error(plan.error.get());
            }
            Flux<T> bounded = whole(source, plan.delay, timer, plan.error);
            return plan.deadline == null ? bounded : bounded.contextWrite(c -> c.put(Deadline.class, plan.deadline));
        });
    }

    private static void validate(Duration limit, String operation, Kind kind) {
        if (kind != Kind.HONOR) {
            Checks.positive(limit, kind == Kind.TIMEOUT ? "limit" : "budget");
        }
        Checks.notNull(operation, "operation");
    }

    /** {@code source} bounded by the context's deadline only; unchanged when there is none. */
    static <T> Mono<T> honor(Mono<T> source, Scheduler clock) {
        Checks.notNull(source, "source");
        return Mono.deferContextual(ctx -> {
            Deadline outer = Deadline.from(ctx).orElse(null);
            if (outer == null) {
                return source;
            }
            Scheduler timer = clock != null ? clock : Schedulers.parallel();
            long left = outer.expiresAtMillis() - timer.now(TimeUnit.MILLISECONDS);
            return left <= 0 ? Mono.error(outer.exceeded())
                    : source.timeout(Duration.ofMillis(left), Mono.error(outer::exceeded), timer);
        });
    }

    /** {@code source} bounded, as a whole, by the context's deadline only; unchanged when there is none. */
    static <T> Flux<T> honor(Flux<T> source, Scheduler clock) {
        Checks.notNull(source, "source");
        return Flux.deferContextual(ctx -> {
            Deadline outer = Deadline.from(ctx).orElse(null);
            if (outer == null) {
                return source;
            }
            Scheduler timer = clock != null ? clock : Schedulers.parallel();
            long left = outer.expiresAtMillis() - timer.now(TimeUnit.MILLISECONDS);
            return left <= 0 ? Flux.error(outer.exceeded())
                    : whole(source, Duration.ofMillis(left), timer, outer::exceeded);
        });
    }

    /**
     * How long to wait and which error to raise: the context's deadline when it comes first (or has passed:
     * then {@code delay} is null and the error is raised at once), otherwise the limit itself, which for a
     * deadline also goes into the context.
     */
    private static Plan plan(ContextView ctx, Scheduler timer, Duration limit, String operation, Kind kind) {
        long now = timer.now(TimeUnit.MILLISECONDS);
        Deadline outer = Deadline.from(ctx).orElse(null);
        if (outer != null) {
            long left = outer.expiresAtMillis() - now;
            if (left <= 0) {
                return new Plan(null, outer::exceeded, null);
            }
            if (left < limit.toMillis() || (kind == Kind.DEADLINE && left == limit.toMillis())) {
                return new Plan(Duration.ofMillis(left), outer::exceeded, null);
            }
        }
        if (kind == Kind.TIMEOUT) {
            return new Plan(limit, () -> new OperationTimeoutException(operation, limit, null), null);
        }
        Deadline mine = new Deadline(now + limit.toMillis(), limit, operation);
        return new Plan(limit, mine::exceeded, mine);
    }

    /**
     * Bounds the whole of {@code source} (not each item) by {@code limit}, with one timer per subscription.
     * Whichever of completion and the timer comes first wins; a timeout cancels the source and errors.
     */
    private static <T> Flux<T> whole(Flux<T> source, Duration limit, Scheduler timer, Supplier<? extends Throwable> error) {
        return Flux.defer(() -> {
            AtomicInteger state = new AtomicInteger();   // 0 running, 1 source ended, 2 timed out
            Mono<Long> alarm = Mono.delay(limit, timer).filter(x -> state.compareAndSet(0, 2));
            return source.doOnTerminate(() -> state.compareAndSet(0, 1))
                    .takeUntilOther(alarm)
                    .concatWith(Mono.defer(() -> state.get() == 2 ? Mono.error(error.get()) : Mono.empty()));
        });
    }

    private record Plan(Duration delay, Supplier<? extends Throwable> error, Deadline deadline) {
    }
}
