package dev.reactivekit.core;

import dev.reactivekit.core.internal.Checks;
import java.util.concurrent.Callable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs blocking code (JDBC, a legacy client, {@code Files.readAllBytes}) off the non-blocking threads, as
 * asyncio's {@code run_in_executor} and {@code to_thread}.
 *
 * <pre>{@code
 * Mono<byte[]> bytes = Blocking.call(() -> legacyClient.download(id));
 * Mono<Void> saved = Blocking.run(() -> Files.writeString(path, text));
 * }</pre>
 *
 * The static methods use Reactor's {@link Schedulers#boundedElastic()}: at most ten threads per CPU core and
 * at most 100,000 queued tasks per thread, after which it rejects work with an error rather than growing
 * without bound. A component that owns its blocking work can pass its own scheduler with
 * {@link #on(Scheduler)}. The work starts when the result is subscribed; cancelling the result interrupts a
 * task that has not finished, as Reactor's schedulers do. CPU-heavy work belongs on {@link #compute}.
 */
public final class Blocking {

    private static final Blocking DEFAULT = new Blocking(null);

    private final Scheduler scheduler;

    private Blocking(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** A bridge that runs blocking work on {@code scheduler}, which the caller owns and disposes. */
    public static Blocking on(Scheduler scheduler) {
        return new Blocking(Checks.notNull(scheduler, "scheduler"));
    }

    /** Calls {@code work} on the bounded-elastic scheduler; emits its result, empty for {@code null}. */
    public static <T> Mono<T> call(Callable<? extends T> work) {
        return DEFAULT.submit(work);
    }

    /** Runs {@code work} on the bounded-elastic scheduler; completes when it has run. */
    public static Mono<Void> run(ThrowingRunnable work) {
        return DEFAULT.execute(work);
    }

    /**
     * Calls CPU-bound {@code work} on Reactor's parallel scheduler (one thread per core), the JVM's answer to
     * asyncio's process pool. It must not block; use {@link #call} for that.
     */
    public static <T> Mono<T> compute(Callable<? extends T> work) {
        Checks.notNull(work, "work");
        return Mono.<T>fromCallable(work).subscribeOn(Schedulers.parallel());
    }

    /** Calls {@code work} on this bridge's scheduler; emits its result, empty for {@code null}. */
    public <T> Mono<T> submit(Callable<? extends T> work) {
        Checks.notNull(work, "work");
        return Mono.<T>fromCallable(work).subscribeOn(scheduler());
    }

    /** Runs {@code work} on this bridge's scheduler; completes when it has run. */
    public Mono<Void> execute(ThrowingRunnable work) {
        Checks.notNull(work, "work");
        return Mono.<Void>fromCallable(() -> {
            work.run();
            return null;
        }).subscribeOn(scheduler());
    }

    private Scheduler scheduler() {
        // Resolved per call, so that tests which replace Reactor's schedulers see the replacement.
        return scheduler != null ? scheduler : Schedulers.boundedElastic();
    }

    /** A blocking action that may throw a checked exception. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
