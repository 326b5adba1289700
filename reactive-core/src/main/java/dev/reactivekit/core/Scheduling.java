package dev.reactivekit.core;

import dev.reactivekit.core.internal.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Callbacks at a later time, as asyncio's {@code call_soon}, {@code call_later} and {@code call_at}, plus a
 * periodic {@link #every}. Each returns a {@link Disposable} that cancels the callback if it has not run (and
 * stops a periodic one).
 *
 * <pre>{@code
 * Disposable reminder = Scheduling.callLater(Duration.ofSeconds(30), () -> log.info("still working"));
 * Disposable heartbeat = Scheduling.every(Duration.ofSeconds(5), this::sendHeartbeat);
 * heartbeat.dispose();
 * }</pre>
 *
 * Callbacks run on {@link Schedulers#parallel()} unless a scheduler is given, so they must not block: use
 * {@link Blocking} for blocking work. A callback that throws is logged through SLF4J and, for {@link #every},
 * does not stop later runs (asyncio logs the error and carries on, too). For reactive code prefer
 * {@code Mono.delay} and {@code Flux.interval}, which compose with the rest of a pipeline.
 */
public final class Scheduling {

    private static final Logger log = LoggerFactory.getLogger(Scheduling.class);

    private Scheduling() {
    }

    /** Runs {@code task} as soon as possible on the parallel scheduler. */
    public static Disposable callSoon(Runnable task) {
        return callSoon(task, Schedulers.parallel());
    }

    /** Runs {@code task} as soon as possible on {@code scheduler}. */
    public static Disposable callSoon(Runnable task, Scheduler scheduler) {
        return Checks.notNull(scheduler, "scheduler").schedule(guarded(task));
    }

    /** Runs {@code task} once after {@code delay} (>= 0). */
    public static Disposable callLater(Duration delay, Runnable task) {
        return callLater(delay, task, Schedulers.parallel());
    }

    /** Runs {@code task} once after {@code delay} (>= 0) on {@code scheduler}. */
    public static Disposable callLater(Duration delay, Runnable task, Scheduler scheduler) {
        Checks.notNegative(delay, "delay");
        return Checks.notNull(scheduler, "scheduler").schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} once at {@code when} by the scheduler's clock; at once if that time has passed. */
    public static Disposable callAt(Instant when, Runnable task) {
        return callAt(when, task, Schedulers.parallel());
    }

    /** Runs {@code task} once at {@code when} by {@code scheduler}'s clock; at once if that time has passed. */
    public static Disposable callAt(Instant when, Runnable task, Scheduler scheduler) {
        Checks.notNull(when, "when");
        Checks.notNull(scheduler, "scheduler");
        long delayMillis = Math.max(0, when.toEpochMilli() - scheduler.now(TimeUnit.MILLISECONDS));
        return scheduler.schedule(guarded(task), delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} every {@code period} (> 0), first after one period, until disposed. */
    public static Disposable every(Duration period, Runnable task) {
        return every(period, period, task, Schedulers.parallel());
    }

    /**
     * Runs {@code task} after {@code initialDelay} (>= 0) and then every {@code period} (> 0) on
     * {@code scheduler}, until disposed. Runs never overlap: a slow run delays the next.
     */
    public static Disposable every(Duration initialDelay, Duration period, Runnable task, Scheduler scheduler) {
        Checks.notNegative(initialDelay, "initialDelay");
        Checks.positive(period, "period");
        return Checks.notNull(scheduler, "scheduler").schedulePeriodically(guarded(task),
                initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static Runnable guarded(Runnable task) {
        Checks.notNull(task, "task");
        return () -> {
            try {
                task.run();
            } catch (Throwable t) {
                Exceptions.throwIfJvmFatal(t);
                log.error("scheduled callback {} failed", task, t);
            }
        };
    }
}
